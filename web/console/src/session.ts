/** The signed-in staff member's ID token, kept for the tab's life only (sessionStorage). */
const KEY = "console.session";

export interface Session {
  idToken: string;
  email: string;
  expiresAt: number;
}

export function session(): Session | null {
  const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
  return stored && stored.expiresAt > Date.now() ? stored : null;
}

export function keepSession(value: Session | null): void {
  if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
  else sessionStorage.removeItem(KEY);
}

export function claims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
}
