import type { AuthProvider } from "react-admin";
import { api } from "./api";
import type { Access, Staff } from "./permissions";
import { claims, keepSession, session } from "./session";
import { signIn, signOutUrl } from "./signIn";

interface Me {
  customer_id: string;
  email: string | null;
  name: string | null;
  staff?: Staff | null;
}

// One `GET /me` per token: react-admin asks for permissions on every page.
let me: { token: string; answer: Promise<Me> } | null = null;

function currentMe(): Promise<Me> {
  const token = session()?.idToken ?? "";
  if (me?.token !== token) me = { token, answer: api<Me>("GET", "/me") };
  return me.answer;
}

export const authProvider: AuthProvider = {
  async login() {
    await signIn();
  },
  async logout() {
    const signedIn = session() !== null;
    keepSession(null);
    me = null;
    // Signed in: the hosted UI ends its own session too and sends the person back to the console.
    return signedIn ? signOutUrl() : undefined;
  },
  async checkAuth() {
    if (!session()) throw new Error("Sign in to use the console.");
  },
  async checkError(error: { status?: number }) {
    if (error.status === 401) {
      keepSession(null); // an expired or refused token: sign in again
      throw new Error("Your session has ended; sign in again.");
    }
    // 403 stays: the page shows the API's notice, the person keeps what they may do.
  },
  async getIdentity() {
    const current = session();
    if (!current) throw new Error("Not signed in");
    const profile = await currentMe();
    const token = claims(current.idToken);
    return { id: profile.customer_id || String(token.sub ?? ""), fullName: profile.name || current.email };
  },
  async getPermissions(): Promise<Access> {
    if (!session()) return null;
    return (await currentMe()).staff ?? null;
  },
};
