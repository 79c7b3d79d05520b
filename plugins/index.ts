import coreOperators from "./core-operators";
import hrDates from "./hr-dates";
import recordDecision from "./record-decision";
import socialInsurance from "./social-insurance";
import exampleProbation from "./example-probation";
import channelInApp from "./channel-in-app";
import channelEmail from "./channel-email";
import channelWebhook from "./channel-webhook";
import type { Plugin } from "../rules";

/** The plugins Ordo ships; the server lists them (plus any others) explicitly in its config. */
export const builtinPlugins: readonly Plugin[] = Object.freeze([coreOperators, hrDates, recordDecision]);

export { coreOperators, hrDates, recordDecision, socialInsurance, exampleProbation };
export { channelInApp, channelEmail, channelWebhook };

/** Every plugin a configuration may name (ORDO_PLUGINS), by name. */
export const availablePlugins: readonly Plugin[] = Object.freeze([
  ...builtinPlugins,
  socialInsurance,
  exampleProbation,
  channelInApp,
  channelEmail,
  channelWebhook,
]);
