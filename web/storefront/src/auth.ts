import { claims, signedIn } from "./session";
import { config } from "./config";

/** Sign-in with the authorization code flow and PKCE (S256): Cognito's hosted UI, or the local issuer. */
const PENDING = "storefront.signin";

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri(): string {
  return `${location.origin}/auth/callback`;
}

export async function signIn(returnTo: string): Promise<void> {
  const { authorizeUrl, clientId, scopes } = config().auth;
  const verifier = randomText();
  const state = randomText();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri(),
    scope: scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(`${authorizeUrl}?${params.toString()}`);
}

/** The callback: trades the code for tokens; the page to go back to. */
export async function finishSignIn(search: URLSearchParams): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  const code = search.get("code");
  if (!pending || !code || search.get("state") !== pending.state) throw new Error("sign-in-state");
  const { tokenUrl, clientId } = config().auth;
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error("sign-in-refused");
  const tokens = (await response.json()) as { id_token: string; expires_in: number };
  const email = String(claims(tokens.id_token).email ?? "");
  signedIn({ idToken: tokens.id_token, email, expiresAt: Date.now() + tokens.expires_in * 1000 });
  return pending.returnTo || "/";
}

export function signOut(): void {
  signedIn(null);
  const { logoutUrl, clientId } = config().auth;
  const params = new URLSearchParams({ client_id: clientId, logout_uri: `${location.origin}/` });
  location.assign(`${logoutUrl}?${params.toString()}`);
}
