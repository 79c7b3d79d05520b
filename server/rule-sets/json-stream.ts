/**
 * Writes a JSON answer produced in chunks (e.g. evaluate-batch): the first chunk is computed before
 * the status is sent, so an error there still answers as an error; between chunks the writer waits
 * for the socket to drain and yields to the event loop, so one large batch does not hold the
 * server. A failure after the answer started aborts the connection rather than end it as if complete.
 */
import { once } from "node:events";
import type { Response } from "express";

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeJsonChunks(res: Response, chunks: AsyncIterator<string> | Iterator<string>): Promise<void> {
  const first = await chunks.next();
  res.status(200).type("application/json");
  if (first.done) {
    res.end();
    return;
  }
  try {
    let next: IteratorResult<string> = first;
    while (!next.done) {
      if (!res.write(next.value)) await once(res, "drain");
      await yieldToLoop();
      if (res.destroyed) return;
      next = await chunks.next();
    }
    res.end();
  } catch (e) {
    res.destroy(e as Error);
  }
}
