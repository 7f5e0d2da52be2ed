import { config } from "./config";
import { session } from "./session";
import { prefs } from "./prefs";

/** An RFC 9457 problem document as the API sends it, with its field errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  errors?: { location: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }

  /** Messages by field path ("shipping_address.postal_code"), the API's own words. */
  fieldErrors(): Record<string, string> {
    const found: Record<string, string> = {};
    if (this.problem.field) found[this.problem.field] = this.problem.detail;
    for (const error of this.problem.errors ?? []) {
      found[error.location.replace(/^body\./, "")] = error.message;
    }
    return found;
  }
}

interface Options {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signedIn?: boolean;
}

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { "Accept-Language": prefs.value.locale, ...options.headers };
  const token = session.value?.idToken;
  if (options.signedIn && token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(config().apiUrl + path, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (data ?? {}) as Partial<Problem>;
    throw new ApiError({
      type: problem.type ?? "about:blank",
      title: problem.title ?? response.statusText,
      status: response.status,
      detail: problem.detail ?? (data as { message?: string } | undefined)?.message ?? response.statusText,
      field: problem.field,
      errors: problem.errors,
    });
  }
  return data as T;
}

export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
