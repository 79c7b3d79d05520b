// Dynamic facts used by the differential tests, with json-rules-engine twins computing the same
// values. The exact twins read the current input synchronously so that json-rules-engine's event
// order does not depend on extra microtasks; the usual twins await `almanac.factValue` as
// json-rules-engine's documentation writes facts. `slow` is deliberately asynchronous in all.
// `prof` has fact priority 2: its conditions without a priority of their own are evaluated first.
import type { Almanac, Engine } from "json-rules-engine";
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
      priority: 2,
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

/**
 * Adds the twins to a json-rules-engine Engine; `current()` returns the input of the run in progress.
 * `strict`: the rule set has allowUndefinedFacts false, so reading a missing n1 is an error, as in Ordo.
 * `usual`: the twins await `almanac.factValue` instead (same values, other microtask timing).
 */
export function addReferenceFacts(engine: Engine, current: () => Input, strict = false, usual = false): void {
  // A rejected value rather than a throw: json-rules-engine would leave a sibling's rejection unhandled.
  const missing = () => strict && !Object.hasOwn(current(), "n1");
  const undefinedN1 = () => Promise.reject(new Error("Undefined fact: n1"));
  if (usual) {
    engine.addFact("dbl", async (params: Record<string, unknown>, almanac: Almanac) =>
      dbl(await almanac.factValue("n1"), params.k),
    );
    engine.addFact("later", async (_p: unknown, almanac: Almanac) => later(await almanac.factValue("n1")));
  } else {
    engine.addFact("dbl", (params: Record<string, unknown>) =>
      missing() ? undefinedN1() : dbl(own(current(), "n1"), params.k),
    );
    engine.addFact("later", () => (missing() ? undefinedN1() : Promise.resolve(later(own(current(), "n1")))));
  }
  engine.addFact("prof", () => prof(current()), { priority: 2 });
  engine.addFact("slow", () =>
    Promise.resolve()
      .then(() => Promise.resolve())
      .then(() => own(current(), "n2")),
  );
}
