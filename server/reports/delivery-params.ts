/** The shape of a report-delivery schedule (checked with the schedule; references in delivery.ts). */
const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeliveryParams {
  /** email: the file attached to each recipient; webhook: a signed download link to the tenant's webhook. */
  channel: "email" | "webhook";
  format: "xlsx" | "csv";
  /** Users of the tenant the report is mailed to. */
  recipients: string[];
  /** The report's parameter values (its defaults otherwise); `month` may be omitted for the fire month. */
  params: Record<string, unknown>;
}

/** Field → problem for a report-delivery schedule (empty: fine). */
export function deliveryProblems(target: unknown, params: unknown): Record<string, string> {
  const problems: Record<string, string> = {};
  if (typeof target !== "string" || !KEY.test(target))
    problems.target = "names the report to send (its key), e.g. cost-by-city-month";
  const p = (params ?? {}) as Record<string, unknown>;
  if (p.format !== undefined && p.format !== "xlsx" && p.format !== "csv")
    problems["params/format"] = 'must be "xlsx" or "csv"';
  if (p.channel !== undefined && p.channel !== "email" && p.channel !== "webhook")
    problems["params/channel"] = 'must be "email" or "webhook"';
  const r = p.recipients;
  const listed = Array.isArray(r) && r.length <= 50 && r.every((x) => typeof x === "string" && UUID.test(x));
  if (p.channel === "webhook" ? r !== undefined && !listed : !listed || !(r as unknown[]).length)
    problems["params/recipients"] = "must list 1 to 50 user ids";
  if (p.params !== undefined && (typeof p.params !== "object" || p.params === null || Array.isArray(p.params)))
    problems["params/params"] = "must be an object of report parameter values";
  return problems;
}

export const deliveryParams = (params: Record<string, unknown>): DeliveryParams => ({
  channel: params.channel === "webhook" ? "webhook" : "email",
  format: params.format === "csv" ? "csv" : "xlsx",
  recipients: (params.recipients as string[] | undefined) ?? [],
  params: (params.params as Record<string, unknown> | undefined) ?? {},
});
