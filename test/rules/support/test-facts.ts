// Dynamic facts used by the differential tests, with json-rules-engine twins computing the same
// values. The twins read the current input synchronously so that json-rules-engine's event order
// does not depend on extra microtasks; `slow` is deliberately asynchronous in both.
import type { Engine } from "json-rules-engine";
import { definePlugin } from "../../../rules";

type Input = Record<string, unknown>;

const dbl = (n1: unknown, k: unknown) => (typeof n1 === "number" && typeof k === "number" ? n1 * k : undefined);
const prof = (input: Input) => ({ level: input.n2, tags: input.arr });
const later = (n1: unknown) => (typeof n1 === "number" ? n1 + 1 : undefined);
const own = (input: Input, name: string) => (Object.hasOwn(input, name) ? input[name] : undefined);

export const calls = { dbl: 0 };

export const testFacts = definePlugin({
  name: "test-facts",
  setup(api) {
    api.addFact("dbl", (params, ctx) => (calls.dbl++, dbl(ctx.factValue("n1"), params.k)), {
      type: "number",
      description: "n1 * params.k",
    });
    api.addFact("prof", (_p, ctx) => prof(ctx.input as Input), {
      type: "object",
      description: "an object built from n2 and arr",
    });
    api.addFact("later", (_p, ctx) => Promise.resolve(later(ctx.factValue("n1"))), {
      type: "number",
      description: "n1 + 1, as an already-resolved Promise",
    });
    api.addFact(
      "slow",
      (_p, ctx) =>
        Promise.resolve()
          .then(() => Promise.resolve())
          .then(() => own(ctx.input as Input, "n2")),
      {
        type: "number",
        description: "n2, a few microtasks later",
      },
    );
    api.addAction("e1", () => undefined, { description: "test action" });
  },
});

/** Adds the twins to a json-rules-engine Engine; `current()` returns the input of the run in progress. */
export function addReferenceFacts(engine: Engine, current: () => Input): void {
  engine.addFact("dbl", (params: Record<string, unknown>) => dbl(own(current(), "n1"), params.k));
  engine.addFact("prof", () => prof(current()));
  engine.addFact("later", () => Promise.resolve(later(own(current(), "n1"))));
  engine.addFact("slow", () =>
    Promise.resolve()
      .then(() => Promise.resolve())
      .then(() => own(current(), "n2")),
  );
}
