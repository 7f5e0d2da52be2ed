/** The authorization code flow with PKCE (S256), shared by the web apps: Cognito's hosted UI deployed, the
 * local issuer's sign-in page locally. The app keeps the tokens its own way. */

export interface Client {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  scopes: string;
  redirectUri: string;
}

export interface Tokens {
  id_token: string;
  expires_in: number;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Off to the hosted UI; `pendingKey` keeps the verifier, the state and where to come back to meanwhile. */
export async function startSignIn(client: Client, pendingKey: string, returnTo: string): Promise<void> {
  const verifier = randomText();
  const state = randomText();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: client.scopes,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  });
  location.assign(`${client.authorizeUrl}?${params.toString()}`);
}

/** Back with `?code=&state=`: the code traded for tokens, and where to go back to. Throws `sign-in-state`
 * when the answer is not to our request, `sign-in-refused` when the token endpoint says no. */
export async function finishSignIn(
  client: Client,
  pendingKey: string,
  search: URLSearchParams,
): Promise<{ tokens: Tokens; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null") as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(pendingKey);
  const code = search.get("code");
  if (!pending || !code || search.get("state") !== pending.state) throw new Error("sign-in-state");
  const response = await fetch(client.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error("sign-in-refused");
  return { tokens: (await response.json()) as Tokens, returnTo: pending.returnTo };
}
