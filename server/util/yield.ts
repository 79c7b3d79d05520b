/**
 * Lets the event loop run (other requests, timers, heartbeats) between chunks of CPU-bound work, so a
 * large import or batch never holds every other request for its whole length.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pause to call between small steps of work: it yields to the event loop once `budgetMs` have passed
 * since the last yield, and otherwise returns at once (so fast machines do not pay for idle turns).
 */
export function yieldEvery(budgetMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await yieldToLoop();
    since = performance.now();
  };
}
