import { HttpError } from "react-admin";
import { config } from "./config";
import { session } from "./session";

/** One request to the commerce API with the staff member's token; a problem detail becomes an HttpError
 * whose body react-admin's forms read: `errors` keyed by form field, `root.serverError` for the rest. */

// The routes that take an Idempotency-Key: a retried refund is the same refund, never a second one.
const IDEMPOTENT = [/^\/admin\/orders\/[^/]+\/refunds$/];

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { location?: string; loc?: (string | number)[]; field?: string; message?: string; msg?: string }[];
}

export type Query = Record<string, string | number | undefined | null>;

export async function api<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
  const url = new URL(config().apiUrl.replace(/\/$/, "") + path);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = session()?.idToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST" && IDEMPOTENT.some((route) => route.test(path))) headers["Idempotency-Key"] = crypto.randomUUID();
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw problemError(response.status, payload as Problem);
  return payload as T;
}

/** The field a validation error names: `body.translations.fr.name` is the form's `translations.fr.name`. */
export function fieldOf(error: NonNullable<Problem["errors"]>[number]): string {
  const path = error.field ?? error.location ?? (error.loc ?? []).join(".");
  return path.replace(/^(body|query|path)\./, "");
}

/** Each error under its field and under the field's ancestors (`variants.0.prices.1.amount` shows on the
 * variants list too), so it appears next to whichever of them the form has; the first error of a field wins. */
export function problemError(status: number, problem: Problem & { field?: string }): HttpError {
  const message = problem.detail || problem.title || `The API answered ${status}`;
  const errors: Record<string, unknown> = {};
  const located = [...(problem.errors ?? [])];
  if (problem.field) located.push({ field: problem.field, message });
  for (const error of located) {
    const parts = fieldOf(error).split(".").filter(Boolean);
    const text = error.message ?? error.msg ?? "is not valid";
    for (let depth = parts.length; depth > 0; depth -= 1) {
      const name = parts.slice(0, depth).join(".");
      if (!(name in errors)) errors[name] = text;
    }
  }
  errors.root = { serverError: message };
  return new HttpError(message, status, { ...problem, errors });
}
