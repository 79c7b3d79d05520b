/**
 * Does a login flood slow everyone else down? `/api/health` latency alone (the baseline), then while
 * `parallel` logins are kept in flight from another thread (so the flood's own client work does not
 * run on the server's event loop): wrong passwords for one account from one address (an attack), and
 * right passwords (each needs scrypt: the worst case for the CPU).
 */
import { request as httpRequest, Agent } from "node:http";
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { DEMO_USERS } from "../server/seed";
import { startBenchServer } from "./server";
import { timeMany } from "./stats";

interface Answer {
  status: number;
  body: string;
}

function call(port: number, agent: Agent, method: string, path: string, body?: unknown): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** The flood, in a worker thread: `parallel` loops each sending a request as soon as the last one answered. */
const FLOOD = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { port, parallel, path, body } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
const statuses = {};
let logins = 0, stop = false, n = 0;
function post(data) {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port, method: data ? "POST" : "GET", path, agent,
      headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => {
        let code = "";
        try { code = JSON.parse(text).code || ""; } catch {}
        const key = res.statusCode === 200 ? "200" : res.statusCode + " " + code;
        statuses[key] = (statuses[key] || 0) + 1;
        logins++;
        resolve();
      });
    });
    req.on("error", () => resolve());
    req.end(data ? JSON.stringify(data) : undefined);
  });
}
async function loop() {
  while (!stop) await post(body && { email: body.email, password: body.password ?? "wrong-" + n++ });
}
const loops = Array.from({ length: parallel }, loop);
setTimeout(() => parentPort.postMessage("started"), 300);
parentPort.on("message", async () => {
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  parentPort.postMessage({ logins, statuses });
});
`;

export async function benchLoginFlood(opts: { parallel?: number; samples?: number } = {}) {
  const parallel = opts.parallel ?? 60;
  const samples = opts.samples ?? 200;
  const server = await startBenchServer();
  const { config, port } = server;
  const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const health = async () => {
    // A kept-alive socket the server has just closed resets: ask again once.
    const r = await call(port, healthAgent, "GET", "/api/health").catch(() =>
      call(port, healthAgent, "GET", "/api/health"),
    );
    if (r.status !== 200) throw new Error(`health: ${r.status} ${r.body}`);
  };

  const alone = await timeMany(samples, health, 20);

  async function underFlood(path: string, body: { email: string; password: string | null } | null) {
    const worker = new Worker(FLOOD, { eval: true, workerData: { port, parallel, path, body } });
    await new Promise((r) => worker.once("message", r)); // the flood is under way
    const t0 = performance.now();
    const timing = await timeMany(samples, health, 0);
    const seconds = (performance.now() - t0) / 1000;
    worker.postMessage("stop");
    const { logins, statuses } = await new Promise<{ logins: number; statuses: Record<string, number> }>((r) =>
      worker.once("message", r),
    );
    await worker.terminate();
    return { ...timing, requestsPerSecond: logins / seconds, statuses };
  }

  // The reference: as many requests in flight, each as cheap as a request gets (401: no token).
  const cheap = await underFlood("/api/no-such-route", null);
  const wrong = await underFlood("/api/auth/login", { email: DEMO_USERS.hr.email, password: null });
  const right = await underFlood("/api/auth/login", { email: config.adminEmail, password: config.adminPassword });
  healthAgent.destroy();
  await server.close();
  return { parallel, alone, cheap, wrong, right };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchLoginFlood().then((r) => console.log(JSON.stringify(r, null, 2)));
}
