/** Helpers of the outbox tests: notifications queued directly, and a local HTTP receiver of webhooks. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { insertNotifications, notificationRow, type NewNotification } from "../../server/notifications/outbox";
import type { TestApp } from "./app";

export async function tenantIdOf(t: TestApp, slug = "demo"): Promise<string> {
  return (await t.db("tenants").where({ slug }).first("id")).id;
}

export async function employeeIdOf(t: TestApp, tenantId: string, employeeNo: string): Promise<string> {
  return (await t.db("employees").where({ tenant_id: tenantId, employee_no: employeeNo }).first("id")).id;
}

let seq = 0;
/** A rendered notification (as a trigger would queue it), `extra` overriding fields. */
export function rendered(extra: Partial<NewNotification> = {}): NewNotification {
  seq++;
  return {
    template: "test-template",
    templateVersion: 1,
    audience: "employee",
    employeeId: null,
    channel: "in-app",
    locale: "zh-CN",
    period: `2024-05#${seq}`,
    subject: `测试提醒 ${seq}`,
    body: `第 ${seq} 条`,
    facts: { n: seq },
    digest: false,
    dueDate: null,
    ...extra,
  };
}

/** Queues notifications the way the triggers do; answers the ids written. */
export const queue = async (t: TestApp, tenantId: string, ...ns: NewNotification[]) =>
  insertNotifications(
    t.db,
    ns.map((n) => notificationRow(tenantId, n)),
  );

export interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

/** A local HTTP receiver: `answer` decides the status of each request (default 200). */
export async function receiver(answer: (r: Received, n: number) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const r = { headers: req.headers, body };
      received.push(r);
      const status = await answer(r, received.length);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ errcode: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
