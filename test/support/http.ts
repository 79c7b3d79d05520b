/** Small request helpers shared by the server tests (react-admin's simple-REST query conventions). */
import type { TestApp } from "./app";

type Headers = Record<string, string>;

/** A JSON query parameter (`filter`, `sort`, `range`), URL-encoded. */
export const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));

/** The total of a list answer, from its `Content-Range: <resource> <from>-<to>/<total>` header. */
export function total(res: { headers: Record<string, string> }): number {
  const range = res.headers["content-range"];
  if (!range) throw new Error("the answer has no Content-Range header");
  return Number(range.split("/")[1]);
}

/** POST /api/rule-sets/:key/publish (the answer is returned, so a test can expect a refusal too). */
export const publishRuleSet = (t: TestApp, h: Headers, key: string, body: Record<string, unknown> = {}) =>
  t.request().post(`/api/rule-sets/${key}/publish`).set(h).send(body);
