import { finishSignIn as redeem, startSignIn } from "../../shared/pkce";
import { config } from "./config";
import { claims, signedIn } from "./session";

/** Sign-in with the authorization code flow and PKCE (S256): Cognito's hosted UI, or the local issuer. */
const PENDING = "storefront.signin";

function client() {
  return { ...config().auth, redirectUri: `${location.origin}/auth/callback` };
}

export async function signIn(returnTo: string): Promise<void> {
  await startSignIn(client(), PENDING, returnTo);
}

/** The callback: trades the code for tokens; the page to go back to. */
export async function finishSignIn(search: URLSearchParams): Promise<string> {
  const { tokens, returnTo } = await redeem(client(), PENDING, search);
  const email = String(claims(tokens.id_token).email ?? "");
  signedIn({ idToken: tokens.id_token, email, expiresAt: Date.now() + tokens.expires_in * 1000 });
  return returnTo || "/";
}

export function signOut(): void {
  signedIn(null);
  const { logoutUrl, clientId } = config().auth;
  const params = new URLSearchParams({ client_id: clientId, logout_uri: `${location.origin}/` });
  location.assign(`${logoutUrl}?${params.toString()}`);
}
