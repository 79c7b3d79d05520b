/**
 * Through HTTP: `evaluate-batch` (records per second, streamed answers) against one `evaluate`
 * request per record, on the same published rule set and facts, in the same run, for each batch size
 * (every request also pays for its two database queries, authentication and the version in force). The server runs in
 * a child process (bench/http-server.ts) and the client here, so the figures are the server's: the
 * wall-clock rate with `inFlight` batches outstanding, and the rate per second of the server
 * process's CPU time (every thread it has), which is what one core can do. Request bodies are
 * serialised before the clock starts; answers are read whole (and decompressed) inside it, and parsed
 * after it stops, as a load generator would. The single-request
 * baseline runs on the first `singles` records, and every batched answer must equal it there
 * (events, and each rule's name, priority and result).
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import { hrRuleSet, benchEmployees } from "./rules";

/** The records-per-second target of issue 14 for evaluate-batch, on one core. */
export const BATCH_TARGET = 100_000;

type Reply = { cmd: string; port?: number; email?: string; password?: string; micros?: number };

/** This process's flags without any code to evaluate (`tsx -e` passes it there): the child loads TypeScript alike. */
function loaderArgs(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    if (["-e", "--eval", "-p", "--print"].includes(args[i]!)) i++;
    else if (!/^--(eval|print)=/.test(args[i]!)) out.push(args[i]!);
  }
  return out;
}

function request(child: ChildProcess, cmd: string): Promise<Reply> {
  return new Promise((resolve) => {
    const on = (m: Reply) => {
      if (m.cmd !== cmd) return;
      child.off("message", on);
      resolve(m);
    };
    child.on("message", on);
    child.send({ cmd });
  });
}

export interface BatchFigures {
  batchSize: number;
  /** Best pass, wall clock, records a second. */
  perSec: number;
  /** Records per second of the server process's CPU time, best pass: what one core does. */
  perCoreSecond: number;
  usPerRecord: number;
  cpuUsPerRecord: number;
  /** Every pass, for the spread. */
  passes: { perSec: number; perCoreSecond: number }[];
  identical: boolean;
}

export async function benchHttp(
  opts: { records?: number; batchSizes?: number[]; singles?: number; inFlight?: number; rounds?: number } = {},
) {
  const records = opts.records ?? 40_000;
  const batchSizes = opts.batchSizes ?? [2000, 5000];
  const singles = Math.min(opts.singles ?? 500, records);
  const inFlight = opts.inFlight ?? 2;
  const rounds = opts.rounds ?? 3;
  const child = fork(new URL("./http-server.ts", import.meta.url), [], {
    execArgv: [...loaderArgs(), ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [])],
  });
  const [ready] = (await once(child, "message")) as [Reply];
  const base = `http://127.0.0.1:${ready.port}/api`;
  let token = "";
  const sendText = async (path: string, body: string) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}`, "x-tenant": "demo" } : {}),
      },
      body,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return text;
  };
  const send = async (path: string, body: string): Promise<unknown> => JSON.parse(await sendText(path, body));
  const post = (path: string, body: unknown) => send(path, JSON.stringify(body));
  try {
    token = ((await post("/auth/login", { email: ready.email, password: ready.password })) as { token: string }).token;
    await post("/rule-sets", { key: "bench-hr", name: "Bench HR", ...hrRuleSet });
    await post("/rule-sets/bench-hr/publish", { effectiveFrom: "2000-01-01" });
    const people = benchEmployees(records);
    const at = "2024-06-30";
    type Answer = { events: unknown; results: { rule: string; priority: number; result: boolean }[] };
    const summary = (a: Answer) =>
      JSON.stringify({ events: a.events, results: a.results.map((o) => [o.rule, o.priority, o.result]) });

    for (let i = 0; i < 50; i++) await post("/rule-sets/bench-hr/evaluate", { facts: people[i], at }); // warm-up
    const singleBodies = people.slice(0, singles).map((facts) => JSON.stringify({ facts, at }));
    let t0 = performance.now();
    const single: string[] = [];
    for (const body of singleBodies) single.push(summary((await send("/rule-sets/bench-hr/evaluate", body)) as Answer));
    const singleMs = performance.now() - t0;
    const singleUsPerRecord = (singleMs * 1000) / singles;

    const sizes: BatchFigures[] = [];
    for (const batchSize of batchSizes) {
      const bodies: string[] = [];
      for (let i = 0; i < people.length; i += batchSize)
        bodies.push(JSON.stringify({ items: people.slice(i, i + batchSize).map((facts) => ({ facts })), at }));
      for (let i = 0; i < 2; i++) await sendText("/rule-sets/bench-hr/evaluate-batch", bodies[0]!); // warm-up

      // `rounds` passes over all records; the figures are the best pass's (the machine may be shared).
      const passes: { ms: number; cpuMs: number }[] = [];
      let batched: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const out: string[] = new Array(bodies.length);
        const cpu0 = (await request(child, "cpu")).micros!;
        t0 = performance.now();
        let next = 0;
        const worker = async () => {
          while (next < bodies.length) {
            const i = next++;
            out[i] = await sendText("/rule-sets/bench-hr/evaluate-batch", bodies[i]!);
          }
        };
        await Promise.all(Array.from({ length: inFlight }, worker));
        const ms = performance.now() - t0;
        passes.push({ ms, cpuMs: ((await request(child, "cpu")).micros! - cpu0) / 1000 });
        if (round === 0)
          batched = out
            .flatMap((text) => (JSON.parse(text) as { items: Answer[] }).items)
            .slice(0, singles)
            .map(summary);
      }
      const ms = Math.min(...passes.map((p) => p.ms));
      const cpuMs = Math.min(...passes.map((p) => p.cpuMs));
      sizes.push({
        batchSize,
        perSec: Math.round(records / (ms / 1000)),
        perCoreSecond: Math.round(records / (cpuMs / 1000)),
        usPerRecord: (ms * 1000) / records,
        cpuUsPerRecord: (cpuMs * 1000) / records,
        passes: passes.map((p) => ({
          perSec: Math.round(records / (p.ms / 1000)),
          perCoreSecond: Math.round(records / (p.cpuMs / 1000)),
        })),
        identical: single.length === batched.length && single.every((x, i) => x === batched[i]),
      });
    }
    return {
      records,
      singles,
      inFlight,
      rounds,
      singleUsPerRecord,
      sizes,
      target: BATCH_TARGET,
      identical: sizes.every((x) => x.identical),
    };
  } finally {
    const exited = once(child, "exit");
    child.send({ cmd: "close" });
    await exited;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchHttp().then((r) => console.dir(r, { depth: 4 }));
}
