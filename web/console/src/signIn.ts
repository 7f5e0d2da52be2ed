import { config } from "./config";
import { claims, keepSession } from "./session";

/** Sign-in with the authorization code flow and PKCE (S256) at Cognito's hosted UI (locally, the issuer's
 * test page). The redirect URI is the console's own index URL: main.tsx finishes sign-in before rendering. */
const PENDING = "console.signin";

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** `returnTo`: the hash route to come back to; never the sign-in page itself. */
export async function signIn(returnTo: string = location.hash): Promise<void> {
  if (returnTo.startsWith("#/login")) returnTo = "#/";
  const { authorizeUrl, clientId, scopes, redirectUri } = config().auth;
  const verifier = randomText();
  const state = randomText();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: scopes,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  });
  location.assign(`${authorizeUrl}?${params.toString()}`);
}

/** Trades `?code=&state=` for tokens; the hash route to go back to. */
export async function finishSignIn(search: URLSearchParams): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  const code = search.get("code");
  if (!pending || !code || search.get("state") !== pending.state) throw new Error("The sign-in could not be checked; sign in again.");
  const { tokenUrl, clientId, redirectUri } = config().auth;
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error("The sign-in was refused; sign in again.");
  const tokens = (await response.json()) as { id_token: string; expires_in: number };
  const email = String(claims(tokens.id_token).email ?? "");
  keepSession({ idToken: tokens.id_token, email, expiresAt: Date.now() + tokens.expires_in * 1000 });
  return pending.returnTo || "#/";
}

/** Where the hosted UI signs the person out and sends them back to the console. */
export function signOutUrl(): string {
  const { logoutUrl, clientId, redirectUri } = config().auth;
  return `${logoutUrl}?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri }).toString()}`;
}
