#!/usr/bin/env node
// The Ordo command line for scripts and CI: configuration bundles through the same API the admin uses.
//   ordo bundle export --url URL --tenant SLUG [--token T | --email E --password P] [--file out.json]
//   ordo bundle diff   --url URL --tenant SLUG ... --file bundle.json
//   ordo bundle import --url URL --tenant SLUG ... --file bundle.json [--mode dry-run|apply] [--decisions N]
// Options may come from ORDO_URL, ORDO_TENANT, ORDO_TOKEN, ORDO_EMAIL and ORDO_PASSWORD instead.
// Exit codes: 0 done, 1 refused or failed (the server's message on stderr), 2 wrong usage;
// with --exit-code, diff and a dry run exit 3 when something would change.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

const USAGE = `usage: ordo bundle <export|diff|import> --url URL --tenant SLUG
       [--token TOKEN | --email EMAIL --password PASSWORD] [--file FILE]
       [--mode dry-run|apply] [--decisions N] [--exit-code]`;

class UsageError extends Error {}

function options(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string", default: process.env.ORDO_URL },
      tenant: { type: "string", default: process.env.ORDO_TENANT },
      token: { type: "string", default: process.env.ORDO_TOKEN },
      email: { type: "string", default: process.env.ORDO_EMAIL },
      password: { type: "string", default: process.env.ORDO_PASSWORD },
      file: { type: "string" },
      mode: { type: "string", default: "dry-run" },
      decisions: { type: "string" },
      "exit-code": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [group, command] = positionals;
  if (values.help) return { help: true };
  if (group !== "bundle" || !["export", "diff", "import"].includes(command))
    throw new UsageError("expected: ordo bundle export|diff|import");
  if (!values.url) throw new UsageError("--url is required (or ORDO_URL)");
  if (!values.tenant) throw new UsageError("--tenant is required (or ORDO_TENANT)");
  if (!values.token && !(values.email && values.password))
    throw new UsageError("give --token, or --email and --password (or ORDO_TOKEN / ORDO_EMAIL and ORDO_PASSWORD)");
  if (command !== "export" && !values.file) throw new UsageError(`${command} needs --file with a bundle`);
  if (!["dry-run", "apply"].includes(values.mode)) throw new UsageError("--mode is dry-run or apply");
  if (values.decisions !== undefined && !/^\d+$/.test(values.decisions))
    throw new UsageError("--decisions is a whole number");
  return { ...values, command, exitCode: values["exit-code"], url: values.url.replace(/\/+$/, "") };
}

async function call(o, method, path, body, token) {
  const headers = { "x-tenant": o.tenant, accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${o.url}/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = new Error(
      `${method} ${path}: ${res.status} ${json?.code ?? ""} ${json?.message ?? text.slice(0, 300)}`.trim(),
    );
    err.body = json;
    throw err;
  }
  return json;
}

async function tokenOf(o) {
  if (o.token) return o.token;
  const res = await call(o, "POST", "/auth/login", { email: o.email, password: o.password });
  return res.token;
}

async function readBundle(file) {
  const text = file === "-" ? await new Response(process.stdin).text() : await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${err.message}`);
  }
}

async function main(argv) {
  const o = options(argv);
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const token = await tokenOf(o);
  if (o.command === "export") {
    const bundle = await call(o, "GET", "/config/bundle", undefined, token);
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (o.file && o.file !== "-") {
      await writeFile(o.file, text);
      process.stderr.write(`exported ${o.tenant} to ${o.file} (hash ${bundle.hash})\n`);
    } else process.stdout.write(text);
    return 0;
  }
  const bundle = await readBundle(o.file);
  if (o.command === "diff") {
    const diff = await call(o, "POST", "/config/bundle/diff", { bundle }, token);
    process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
    const c = diff.counts;
    process.stderr.write(`${c.added} added, ${c.removed} removed, ${c.modified} modified, ${c.unchanged} unchanged\n`);
    return o.exitCode && !diff.identical ? 3 : 0;
  }
  const body = { bundle, mode: o.mode, ...(o.decisions !== undefined ? { decisions: Number(o.decisions) } : {}) };
  const out = await call(o, "POST", "/config/bundle/import", body, token);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  const changed = out.shadow?.changed ?? 0;
  process.stderr.write(
    `${o.mode}: ${out.written.length} asset(s) ${o.mode === "apply" ? "written" : "would be written"}` +
      (out.shadow ? `; ${changed} of ${out.shadow.replayed} replayed decision(s) would change` : "") +
      "\n",
  );
  return o.exitCode && o.mode === "dry-run" && (out.written.length || changed) ? 3 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`ordo: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
