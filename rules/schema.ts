// The JSON Schema of a rule set's content: one source for validation, the API and the
// editor's completion. Conditions are discriminated with if/then/else rather than oneOf so that
// errors come from the one branch the author meant (a condition with "fact" is a comparison).

/** Letters of any script (with their combining marks) or "_" first, then letters, digits, "_" and "-". */
export const FACT_NAME_PATTERN = "^[\\p{L}_][\\p{L}\\p{M}\\p{N}_-]*$";
export const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

const priority = { type: "integer", minimum: 1 };
const name = { type: "string", minLength: 1 };
const cond = { $ref: "#/definitions/condition" };

const leaf = {
  type: "object",
  required: ["fact", "operator", "value"],
  properties: {
    fact: { type: "string", minLength: 1 },
    operator: { type: "string", minLength: 1 },
    value: {},
    path: { type: "string", minLength: 1 },
    params: { type: "object" },
    name,
    priority,
  },
  additionalProperties: false,
};

const group = (key: "all" | "any" | "not") => ({
  type: "object",
  required: [key],
  properties: { [key]: key === "not" ? cond : { type: "array", items: cond }, name, priority },
  additionalProperties: false,
});

const reference = {
  type: "object",
  required: ["condition"],
  properties: { condition: { type: "string", minLength: 1 }, name, priority },
  additionalProperties: false,
};

const branch = (key: string, then: object, otherwise: object) => ({ if: { required: [key] }, then, else: otherwise });

const event = {
  type: "object",
  required: ["type"],
  properties: { type: { type: "string", minLength: 1 }, params: { type: "object" } },
  additionalProperties: false,
};

export const ruleSetContentSchema = {
  $id: "https://ordo.example/schemas/rule-set-content.json",
  type: "object",
  required: ["facts", "rules"],
  properties: {
    description: { type: "string" },
    facts: {
      type: "object",
      propertyNames: { pattern: FACT_NAME_PATTERN },
      additionalProperties: { type: ["object", "boolean"] },
    },
    sharedConditions: {
      type: "object",
      propertyNames: { pattern: FACT_NAME_PATTERN },
      additionalProperties: { $ref: "#/definitions/topLevelCondition" },
    },
    options: {
      type: "object",
      description: "json-rules-engine's engine options that change results",
      properties: {
        allowUndefinedFacts: {
          type: "boolean",
          description: "true (default): a fact that is neither input nor computed is undefined; false: it is an error",
        },
        replaceFactsInEventParams: {
          type: "boolean",
          description: 'true: event params written { "fact": …, "path"?, "params"? } are replaced by the fact\'s value',
        },
      },
      additionalProperties: false,
    },
    rules: { type: "array", items: { $ref: "#/definitions/rule" } },
    testCases: { type: "array", items: { $ref: "#/definitions/testCase" } },
  },
  additionalProperties: false,
  definitions: {
    condition: {
      type: "object",
      ...branch(
        "all",
        group("all"),
        branch("any", group("any"), branch("not", group("not"), branch("condition", reference, leaf))),
      ),
    },
    topLevelCondition: {
      type: "object",
      ...branch(
        "all",
        group("all"),
        branch(
          "any",
          group("any"),
          branch("not", group("not"), branch("condition", reference, { type: "object", required: ["all"] })),
        ),
      ),
    },
    rule: {
      type: "object",
      required: ["conditions", "event"],
      properties: {
        name,
        description: { type: "string" },
        priority,
        conditions: { $ref: "#/definitions/topLevelCondition" },
        event,
      },
      additionalProperties: false,
    },
    testCase: {
      type: "object",
      required: ["name", "facts", "expectEvents"],
      properties: {
        name,
        facts: { type: "object" },
        at: { type: "string", pattern: DATE_PATTERN },
        expectEvents: { type: "array", items: event },
        expectResults: { type: "object", additionalProperties: { type: "boolean" } },
      },
      additionalProperties: false,
    },
  },
} as const;
