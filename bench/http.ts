/**
 * Through HTTP: per-record cost of `evaluate-batch` (records per second, streamed answers) against
 * one `evaluate` request per record, on the same published rule set and facts, in the same run.
 * The single-request baseline runs on the first `singles` records; both answers must agree there.
 */
import { pathToFileURL } from "node:url";
import { startBenchServer } from "./server";
import { hrRuleSet, benchEmployees } from "./rules";

export async function benchHttp(opts: { records?: number; batchSize?: number; singles?: number } = {}) {
  const records = opts.records ?? 20_000;
  const batchSize = opts.batchSize ?? 2000;
  const singles = Math.min(opts.singles ?? 500, records);
  const server = await startBenchServer();
  const { config } = server;
  const base = `http://127.0.0.1:${server.port}/api`;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}`, "x-tenant": "demo" } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { token } = await post("/auth/login", { email: config.adminEmail, password: config.adminPassword });
  await post("/rule-sets", { key: "bench-hr", name: "Bench HR", ...hrRuleSet }, token);
  await post("/rule-sets/bench-hr/publish", { effectiveFrom: "2000-01-01" }, token);
  const people = benchEmployees(records);
  const at = "2024-06-30";

  for (let i = 0; i < 50; i++) await post("/rule-sets/bench-hr/evaluate", { facts: people[i], at }, token); // warm-up
  let t0 = performance.now();
  const single: unknown[] = [];
  for (const facts of people.slice(0, singles))
    single.push(((await post("/rule-sets/bench-hr/evaluate", { facts, at }, token)) as { events: unknown }).events);
  const singleMs = performance.now() - t0;

  await post(
    "/rule-sets/bench-hr/evaluate-batch",
    { items: people.slice(0, 100).map((facts) => ({ facts })), at },
    token,
  ); // warm-up
  t0 = performance.now();
  const batched: unknown[] = [];
  for (let i = 0; i < people.length; i += batchSize) {
    const out = (await post(
      "/rule-sets/bench-hr/evaluate-batch",
      { items: people.slice(i, i + batchSize).map((facts) => ({ facts })), at },
      token,
    )) as { items: { events: unknown }[] };
    for (const item of out.items) batched.push(item.events);
  }
  const batchMs = performance.now() - t0;
  await server.close();
  const identical = JSON.stringify(single) === JSON.stringify(batched.slice(0, singles));
  const singleUsPerRecord = (singleMs * 1000) / singles;
  const batchUsPerRecord = (batchMs * 1000) / records;
  return {
    records,
    batchSize,
    singles,
    singleUsPerRecord,
    batchUsPerRecord,
    batchPerSec: Math.round(records / (batchMs / 1000)),
    ratio: singleUsPerRecord / batchUsPerRecord,
    identical,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchHttp().then((r) => console.log(r));
}
