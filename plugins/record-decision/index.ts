// Action "record-decision": hands the decision to the host's storage. The host's
// `services.recordDecision(decision)` stores it as a row of its own (Ordo: in `decisions`, linked to
// the operation's decision) and answers its id; this plugin never touches storage itself. It passes
//   { tenantId, ruleSet, version, type, params, facts, trace }
// where type/params are the event's and facts/trace come from the action context. Without the
// service (e.g. in a dry run) it records nothing and says so.
import { definePlugin, type DecisionInput } from "../../rules";

export type Decision = DecisionInput;

export default definePlugin({
  name: "record-decision",
  setup(api) {
    api.addAction(
      "record-decision",
      async (event, ctx) => {
        const record = ctx.services.recordDecision;
        if (!record) return { recorded: false, reason: "no recordDecision service" };
        const decision: Decision = {
          tenantId: ctx.tenantId,
          ruleSet: ctx.ruleSet,
          version: ctx.version,
          type: event.type,
          params: event.params ?? {},
          facts: ctx.facts,
          trace: ctx.trace,
        };
        return { recorded: true, result: await record(decision) };
      },
      {
        description: {
          "zh-CN": "通过宿主的 recordDecision 服务保存决策（事件参数、输入事实和追踪）",
          en: "stores the decision (event params, input facts and trace) through the host's recordDecision service",
        },
      },
    );
  },
});
