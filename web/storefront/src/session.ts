import { Store } from "./store";

/** The signed-in customer: the ID token the API takes as a bearer, and who it names. */
export interface Session {
  idToken: string;
  email: string;
  expiresAt: number;
}

const KEY = "storefront.session";

function restored(): Session | null {
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
  return saved && saved.expiresAt > Date.now() ? saved : null;
}

export const session = new Store<Session | null>(restored());

export function signedIn(value: Session | null): void {
  if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
  else sessionStorage.removeItem(KEY);
  session.set(value);
}

export function claims(idToken: string): Record<string, unknown> {
  const payload = idToken.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<
    string,
    unknown
  >;
}
