/** The alert lifecycle calls (POST /api/alerts/:id/<action>, /api/alerts/bulk) and the assignee list. */
import { useEffect, useState } from "react";
import { api } from "../api/http";
import { type ActionBody, type AlertAction, type Assignee, actionBody } from "./body";

export * from "./body";

export const runAction = (ids: string[], action: AlertAction, input: ActionBody) =>
  ids.length === 1
    ? api<{ changed: string[] }>(`/alerts/${ids[0]}/${action}`, { body: actionBody(action, input) })
    : api<{ changed: string[] }>("/alerts/bulk", { body: { ids, action, ...actionBody(action, input) } });

export function useAssignees(): Assignee[] {
  const [users, setUsers] = useState<Assignee[]>([]);
  useEffect(() => {
    api<Assignee[]>("/alerts/assignees").then(setUsers, () => setUsers([]));
  }, []);
  return users;
}
