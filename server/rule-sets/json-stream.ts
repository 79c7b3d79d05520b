/**
 * Writes a JSON answer produced in chunks (e.g. evaluate-batch): the first chunk is computed before
 * the status is sent, so an error there still answers as an error; between chunks the writer waits
 * for the socket to drain and yields to the event loop, so one large batch does not hold the
 * server. A failure after the answer started aborts the connection rather than end it as if complete.
 */
import type { Response } from "express";

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Chunk = string | Uint8Array;

export async function writeJsonChunks(res: Response, chunks: AsyncIterator<Chunk> | Iterator<Chunk>): Promise<void> {
  const first = await chunks.next();
  res.status(200).type("application/json");
  if (first.done) {
    res.end();
    return;
  }
  // One listener for the whole answer: the compression middleware hands `drain` listeners to its zlib
  // stream, where a listener removed through `res` (as events.once does) would stay, one per chunk.
  let wake: (() => void) | undefined;
  const resume = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  res.on("drain", resume);
  res.on("close", resume);
  try {
    let next: IteratorResult<Chunk> = first;
    while (!next.done) {
      if (!res.write(next.value) && !res.destroyed) await new Promise<void>((resolve) => (wake = resolve));
      await yieldToLoop();
      if (res.destroyed) return;
      next = await chunks.next();
    }
    res.end();
  } catch (e) {
    res.destroy(e as Error);
  }
}
