/**
 * The server side of bench/http.ts, in its own process so that the client's work (serialising
 * requests, parsing answers) is not counted as the server's: it starts the demo server, reports its
 * port and credentials over IPC, and answers `cpu` with this process's CPU time (all its threads:
 * the PGlite worker and zlib's pool included), so the bench can state records per server core-second.
 * BENCH_PROFILE=<file>: a CPU profile of this thread from the first `cpu` question (the batch passes)
 * to the end, written to that file.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { startBenchServer } from "./server";

const server = await startBenchServer();
const profile = process.env.BENCH_PROFILE;
let session: Session | undefined;
const send = (m: unknown) => process.send!(m);
process.on("message", async (m: { cmd: string }) => {
  if (m.cmd === "cpu") {
    if (profile && !session) {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    const u = process.cpuUsage();
    send({ cmd: "cpu", micros: u.user + u.system });
  } else if (m.cmd === "close") {
    if (session) writeFileSync(profile!, JSON.stringify((await session.post("Profiler.stop")).profile));
    await server.close();
    process.exit(0);
  }
});
send({ cmd: "ready", port: server.port, email: server.config.adminEmail, password: server.config.adminPassword });
