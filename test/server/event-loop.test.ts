/**
 * Large work yields to the event loop: while a 60,000-row CSV import or 10,000-item evaluate-batches
 * runs, /api/health keeps answering quickly (it was held for 1.8 s and 0.7 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";

/**
 * The target on an idle machine is 100 ms (the bench, `--only import`, reports the figures). A timed test
 * cannot hold that on a shared two-core machine, where the process itself is sometimes not scheduled for a
 * while, so each bound is relative to what the same run measured: the slowest health answer during the
 * work may exceed the slowest during an idle second just before by at most EXTRA_MS, or else must stay
 * under a third of the work's own duration (unchunked, the import held /api/health for 1,800 of about
 * 2,500 ms and the batch for 700 ms, most of its run), and the median answer stays under a tenth of the
 * work's duration or MEDIAN_MS.
 */
const MEDIAN_MS = 150;
const EXTRA_MS = 250;
/** Looser for the import: it moves 10 MB through the database, and GC pauses grow with it. */
const IMPORT_EXTRA_MS = 500;
const bound = (absolute: number, workMs: number, share: number) => Math.max(absolute, workMs * share);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestApp;
let url: string;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp({ ORDO_BODY_LIMIT: "20mb" });
  url = await t.listen();
  headers = await t.admin("demo");
});
afterAll(() => t.close());

/** Runs `work` while timing /api/health requests one after another: the slowest, the median and how many. */
async function healthDuring<T>(
  base: string,
  work: () => Promise<T>,
): Promise<{ result: T; maxMs: number; medianMs: number; n: number; workMs: number }> {
  let running = true;
  const latencies: number[] = [];
  const started = performance.now();
  const probe = (async () => {
    while (running) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      await sleep(5);
    }
  })();
  try {
    const result = await work();
    const workMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    return { result, maxMs: sorted.at(-1)!, medianMs: sorted[sorted.length >> 1]!, n: latencies.length, workMs };
  } finally {
    running = false;
    await probe;
  }
}

const post = async (path: string, body: string, type = "application/json") => {
  const res = await fetch(`${url}/api${path}`, { method: "POST", headers: { ...headers, "content-type": type }, body });
  return { status: res.status, body: await res.json() };
};

describe("the event loop stays free", () => {
  it("during a 60,000-row CSV import", async () => {
    const created = await post(
      "/policy-tables",
      JSON.stringify({
        key: "big",
        name: "Big",
        keyColumns: { city: { type: "string", pattern: "^\\d{6}$" }, band: { type: "integer", minimum: 1 } },
        valueColumns: { amount: { type: "string", pattern: "^\\d+(\\.\\d+)?$" }, rate: { type: "number" } },
        rows: [],
      }),
    );
    expect(created.status).toBe(201);
    let csv = "city,band,amount,rate,effectiveFrom,effectiveTo,source,confidence,note\n";
    for (let i = 0; i < 60_000; i++)
      csv += `${110000 + (i % 50)},${1 + Math.floor(i / 50)},${1000 + i}.50,0.${i % 100},2024-01-01,,import,H,\n`;
    const idleMax = (await healthDuring(url, () => sleep(1000))).maxMs;
    const { result, maxMs, medianMs, n, workMs } = await healthDuring(url, () =>
      post("/policy-tables/big/import", csv, "text/csv"),
    );
    console.log(
      `60,000-row import: /api/health max ${maxMs.toFixed(0)} ms (idle ${idleMax.toFixed(0)}), ` +
        `median ${medianMs.toFixed(0)} ms, n ${n}, work ${workMs.toFixed(0)} ms`,
    );
    expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(200);
    expect(result.body).toMatchObject({ imported: 60_000, rowCount: 60_000 });
    // Reading, checking and serializing 60,000 rows takes seconds here: health answers all along.
    expect(n).toBeGreaterThanOrEqual(20);
    expect(medianMs).toBeLessThan(bound(MEDIAN_MS, workMs, 0.1));
    // The rows are stored in chunks of 1,000 (one short statement each), and PGlite runs in a worker
    // thread, so health's `select 1` gets the single PGlite connection between chunks.
    expect(maxMs).toBeLessThan(bound(idleMax + IMPORT_EXTRA_MS, workMs, 1 / 3));
  });

  it("during four 10,000-item evaluate-batches", async () => {
    const rules = [
      {
        name: "high-wage",
        conditions: { all: [{ fact: "wage", operator: "greaterThan", value: 20000 }] },
        event: { type: "record-decision", params: { band: "high" } },
      },
      {
        name: "city",
        conditions: { any: [{ fact: "city", operator: "in", value: ["110000", "310000"] }] },
        event: { type: "record-decision", params: { tier: 1 } },
      },
    ];
    const facts = { wage: { type: "number" }, city: { type: "string" } };
    expect((await post("/rule-sets", JSON.stringify({ key: "loop-batch", name: "Loop", facts, rules }))).status).toBe(
      201,
    );
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      facts: { wage: 3000 + ((i * 7919) % 40000), city: i % 2 ? "110000" : "440300" },
    }));
    const body = JSON.stringify({ version: "draft", items, at: "2025-01-01" });
    // Compiled once per version (cached): the measured batch is the evaluation itself.
    await post("/rule-sets/loop-batch/evaluate-batch", JSON.stringify({ version: "draft", items: items.slice(0, 1) }));
    const idleMax = (await healthDuring(url, () => sleep(1000))).maxMs;
    // Four batches in a row (10,000 items is a request's limit): one has become too quick for health to be
    // sampled often enough while it runs.
    const { result, maxMs, medianMs, n, workMs } = await healthDuring(url, async () => {
      let last = await post("/rule-sets/loop-batch/evaluate-batch", body);
      for (let i = 0; i < 3 && last.status === 200; i++)
        last = await post("/rule-sets/loop-batch/evaluate-batch", body);
      return last;
    });
    console.log(
      `4 x 10,000-item batches: /api/health max ${maxMs.toFixed(0)} ms (idle ${idleMax.toFixed(0)}), ` +
        `median ${medianMs.toFixed(0)} ms, n ${n}, work ${workMs.toFixed(0)} ms`,
    );
    expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(200);
    expect(result.body.items).toHaveLength(10_000);
    expect(result.body.items[1].events).toContainEqual({ type: "record-decision", params: { tier: 1 } });
    expect(n).toBeGreaterThan(3);
    expect(medianMs).toBeLessThan(bound(MEDIAN_MS, workMs, 0.1));
    expect(maxMs).toBeLessThan(bound(idleMax + EXTRA_MS, workMs, 1 / 3));
  });

  it("list answers carry no rows: GET /api/policy-tables answers a row count", async () => {
    const res = await fetch(`${url}/api/policy-tables?range=[0,99]`, { headers });
    const list = (await res.json()) as { key: string; rows?: unknown; rowCount: number }[];
    const big = list.find((r) => r.key === "big")!;
    expect(big.rows).toBeUndefined();
    expect(big.rowCount).toBe(60_000);
  });
});
