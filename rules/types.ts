// Shapes of a rule set's versioned content. Rules and conditions are json-rules-engine's
// rule JSON, so a rule set written for json-rules-engine runs unchanged on Ordo.

export type JsonSchema = Record<string, unknown>;

export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
  name?: string;
  priority?: number;
}

export interface AllCondition {
  all: Condition[];
  name?: string;
  priority?: number;
}
export interface AnyCondition {
  any: Condition[];
  name?: string;
  priority?: number;
}
export interface NotCondition {
  not: Condition;
  name?: string;
  priority?: number;
}
/** A reference to an entry of `sharedConditions`, like json-rules-engine's `engine.setCondition`. */
export interface ConditionReference {
  condition: string;
  name?: string;
  priority?: number;
}

export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;
export type Condition = TopLevelCondition | LeafCondition;

export interface RuleEvent {
  type: string;
  params?: Record<string, unknown>;
}

export interface Rule {
  name?: string;
  description?: string;
  priority?: number;
  conditions: TopLevelCondition;
  event: RuleEvent;
}

export interface TestCase {
  name: string;
  facts: Record<string, unknown>;
  /** Evaluation date, YYYY-MM-DD. */
  at?: string;
  expectEvents: RuleEvent[];
  /** Keyed by rule name (or `#<index>` for unnamed rules). */
  expectResults?: Record<string, boolean>;
}

/** json-rules-engine's engine options that change what an evaluation answers. */
export interface RuleSetOptions {
  /** Default true (Ordo's behaviour so far); false makes a fact that is neither input nor computed an error. */
  allowUndefinedFacts?: boolean;
  /** Default false; true replaces event params written `{ fact, path?, params? }` by the fact's value. */
  replaceFactsInEventParams?: boolean;
}

export interface RuleSetContent {
  description?: string;
  facts: Record<string, JsonSchema>;
  options?: RuleSetOptions;
  sharedConditions?: Record<string, TopLevelCondition>;
  rules: Rule[];
  testCases?: TestCase[];
}

/** A finding of validation. `pointer` is a JSON pointer into the content. */
export interface Diagnostic {
  pointer: string;
  code: string;
  /** In English; `i18n` renders it in another language (see i18n.ts `diagnosticIn`). */
  message: string;
  i18n?: { key: string; params: Record<string, unknown> };
}
