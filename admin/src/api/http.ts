import { fetchUtils, HttpError } from "react-admin";
import { currentLocale } from "./locale";
import { session } from "./session";

export const API = "/api";

export function authHeaders(headers: Headers = new Headers()): Headers {
  const { token, tenant } = session.get();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (tenant) headers.set("X-Tenant", tenant);
  // The server words its errors in this language.
  headers.set("Accept-Language", currentLocale());
  return headers;
}

/** The httpClient handed to ra-data-simple-rest: fetchJson plus auth and tenant headers. */
export const httpClient = (url: string, options: fetchUtils.Options = {}) => {
  const headers = new Headers(options.headers ?? { Accept: "application/json" });
  return fetchUtils.fetchJson(url, { ...options, headers: authHeaders(headers) });
};

/** JSON call for the non-CRUD endpoints; rejects with react-admin's HttpError (body kept). */
export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const { json } = await httpClient(`${API}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return json as T;
}

/** Raw call for text or file bodies (CSV import/export, XLSX upload). */
export async function apiText(
  path: string,
  init: { method?: string; body?: string | ArrayBuffer; contentType?: string } = {},
) {
  const headers = authHeaders(new Headers());
  if (init.contentType) headers.set("Content-Type", init.contentType);
  const res = await fetch(`${API}${path}`, { method: init.method ?? "GET", body: init.body, headers });
  const text = await res.text();
  if (!res.ok) {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* plain text error */
    }
    const message = (body as { message?: string })?.message ?? res.statusText;
    throw new HttpError(message, res.status, body);
  }
  return { text, headers: res.headers };
}

export interface ApiErrorBody {
  message?: string;
  code?: string;
  details?: Record<string, unknown> & { errors?: unknown; warnings?: unknown; results?: unknown };
  errors?: Record<string, string>;
}

export function errorBody(e: unknown): ApiErrorBody {
  const body = (e as { body?: unknown })?.body;
  return body && typeof body === "object" ? (body as ApiErrorBody) : { message: String((e as Error)?.message ?? e) };
}

export function errorMessage(e: unknown): string {
  const b = errorBody(e);
  return b.code ? `${b.message ?? ""} (${b.code})` : (b.message ?? "Error");
}
