import type { Diagnostic } from "./types";

/** Errors thrown by the rules library carry a string `code`, like json-rules-engine's. */
export class RulesError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "RulesError";
    this.code = code;
  }
}

/** Thrown by `compileRuleSet` when validation finds errors; the diagnostics say where. */
export class InvalidRuleSetError extends RulesError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0];
    super(
      "INVALID_RULE_SET",
      `The rule set has ${diagnostics.length} error(s)` +
        (first ? `; first at ${first.pointer || "/"}: ${first.message}` : ""),
    );
    this.name = "InvalidRuleSetError";
    this.diagnostics = diagnostics;
  }
}

/** Thrown by `evaluateSync` when a fact resolver returned a Promise. */
export class AsyncFactError extends RulesError {
  constructor(fact: string) {
    super("ASYNC_FACT", `Fact "${fact}" is asynchronous; use evaluate() instead of evaluateSync().`);
    this.name = "AsyncFactError";
  }
}

/** json-rules-engine's UndefinedFactError: with allowUndefinedFacts false, a fact nobody provides. */
export class UndefinedFactError extends RulesError {
  readonly fact: string;
  constructor(fact: string) {
    super(
      "UNDEFINED_FACT",
      `Undefined fact: ${fact}. It is not in the input and no plugin computes it ` +
        "(the rule set sets allowUndefinedFacts: false).",
    );
    this.name = "UndefinedFactError";
    this.fact = fact;
  }
}
