export type * from "./types";
export { ruleSetContentSchema, FACT_NAME_PATTERN, DATE_PATTERN } from "./schema";
export {
  definePlugin,
  defineChannel,
  createRegistry,
  type Plugin,
  type PluginApi,
  type Registry,
  type Catalogue,
  type OperatorFn,
  type OperatorMeta,
  type OperatorDef,
  type FactResolver,
  type FactMeta,
  type FactDef,
  type FactContext,
  type ActionHandler,
  type ActionDef,
  type ActionMeta,
  type ActionContext,
  type HostServices,
  type AlertInput,
  type ReminderInput,
  type DecisionInput,
  type WriteResult,
  type EnrollmentRecord,
  type NewEnrollment,
  type EnrollmentPatch,
  type EnrollmentServices,
  type EmployeeServices,
  type ChannelDef,
  type ChannelMessage,
  type ChannelResult,
  type ChannelSendContext,
} from "./plugins";
export { validateRuleSet, type ValidationResult } from "./validate";
export { validateFacts, createFactValidator, compiledSchemaCount, type FactValidator } from "./validate-facts";
export { defaultLimits, limitCeilings, resolveLimits, type Limits } from "./limits";
export { compileRuleSet, type CompiledRuleSet, type CompileOptions } from "./compile";
export {
  createSummaryCache,
  summaryBytes,
  summaryJson,
  type SummaryCache,
  type Evaluation,
  type EvaluateOptions,
  type RuleOutcome,
} from "./evaluate";
export type { TraceNode } from "./trace";
export { checksum } from "./checksum";
export { canonicalJson } from "./canonical-json";
export { diffRuleSets, changedPointers, type RuleSetDiff, type RuleRef } from "./diff";
export { runTestCases, runTestCase, type TestCaseResult } from "./test-cases";
export { runActions, type ActionOutcome } from "./actions";
export { parsePath, pathProblem } from "./json-path";
export { RulesError, InvalidRuleSetError, AsyncFactError, UndefinedFactError } from "./errors";
export { ruleLabel } from "./pointer";
export {
  diagnosticIn,
  schemaIn,
  textIn,
  DIAGNOSTIC_MESSAGES,
  type Locale as TextLocale,
  type Text,
  type MessageKey,
} from "./i18n";
