// Dispatches an evaluation's events to the registered actions, one after another in event
// order (actions may write to the same transaction). Events without an action are skipped.
import type { ActionContext, Registry } from "./plugins";
import type { RuleEvent } from "./types";

export interface ActionOutcome {
  type: string;
  handled: boolean;
  result?: unknown;
}

export async function runActions(
  events: readonly RuleEvent[],
  registry: Registry,
  ctx: ActionContext,
): Promise<ActionOutcome[]> {
  const out: ActionOutcome[] = [];
  for (const event of events) {
    const action = registry.getAction(event.type);
    if (!action) out.push({ type: event.type, handled: false });
    else out.push({ type: event.type, handled: true, result: await action.handler(event, ctx) });
  }
  return out;
}
