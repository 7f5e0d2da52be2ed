import { finishSignIn as redeem, startSignIn } from "../../shared/pkce";
import { config } from "./config";
import { claims, keepSession } from "./session";

/** Sign-in at the hosted UI. The redirect URI is the console's own index URL: main.tsx finishes sign-in
 * before rendering. */
const PENDING = "console.signin";
const REFUSALS: Record<string, string> = {
  "sign-in-state": "The sign-in could not be checked; sign in again.",
  "sign-in-refused": "The sign-in was refused; sign in again.",
};

/** `returnTo`: the hash route to come back to; never the sign-in page itself. */
export async function signIn(returnTo: string = location.hash): Promise<void> {
  await startSignIn(config().auth, PENDING, returnTo.startsWith("#/login") ? "#/" : returnTo);
}

/** Trades `?code=&state=` for tokens; the hash route to go back to. */
export async function finishSignIn(search: URLSearchParams): Promise<string> {
  try {
    const { tokens, returnTo } = await redeem(config().auth, PENDING, search);
    const email = String(claims(tokens.id_token).email ?? "");
    keepSession({ idToken: tokens.id_token, email, expiresAt: Date.now() + tokens.expires_in * 1000 });
    return returnTo || "#/";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(REFUSALS[reason] ?? reason);
  }
}

/** Where the hosted UI signs the person out and sends them back to the console. */
export function signOutUrl(): string {
  const { logoutUrl, clientId, redirectUri } = config().auth;
  return `${logoutUrl}?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri }).toString()}`;
}
