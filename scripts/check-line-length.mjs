// `npm run lint`: every tracked .ts/.tsx/.mjs line is at most MAX characters (Biome formats to that width but
// cannot break strings, template literals or comments). Prints each longer line as file:line: length; exits 1.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const MAX = 120;
const files = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.tsx", "*.mjs"], { encoding: "utf8" })
  .split("\0")
  .filter((f) => f && existsSync(f));
let long = 0;
for (const file of files) {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  lines.forEach((line, i) => {
    const length = [...line].length; // characters, not UTF-16 units or bytes
    if (length > MAX) {
      console.log(`${file}:${i + 1}: ${length}`);
      long++;
    }
  });
}
if (long > 0) {
  console.error(`${long} line(s) longer than ${MAX} characters`);
  process.exit(1);
}
