import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadConfig } from "./config";
import { SIGN_IN_ERROR } from "./pages/SignInPage";
import { finishSignIn } from "./signIn";

/** Config first; then, back from the hosted UI with `?code=&state=`, the sign-in is finished before the app
 * renders, and the query leaves the address bar. */
async function start(): Promise<void> {
  await loadConfig();
  const search = new URLSearchParams(location.search);
  if (search.has("code") || search.has("error")) {
    let back = "#/";
    try {
      back = await finishSignIn(search);
    } catch (error) {
      sessionStorage.setItem(SIGN_IN_ERROR, error instanceof Error ? error.message : String(error));
      back = "#/login";
    }
    history.replaceState(null, "", location.pathname + back);
  }
  const root = document.getElementById("root");
  if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
}

void start();
