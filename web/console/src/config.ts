import { runtimeConfig } from "../../shared/runtimeConfig";

/** The runtime configuration, read from config.json beside index.html (relative: the console is served at a
 * port's root locally and under /console/ on CloudFront). */
export interface Config {
  apiUrl: string;
  auth: {
    authorizeUrl: string;
    tokenUrl: string;
    logoutUrl: string;
    clientId: string;
    scopes: string;
    redirectUri: string;
  };
  currencies: string[];
  locales: string[];
}

const runtime = runtimeConfig<Config>("config.json");
export const config = runtime.get;

/** Loaded, with what a deployment may leave out filled in: the redirect URI is the page's own index URL. */
export async function loadConfig(): Promise<Config> {
  const loaded = await runtime.load();
  loaded.auth.scopes ||= "openid email profile";
  loaded.auth.redirectUri ||= location.origin + location.pathname.replace(/index\.html$/, "");
  loaded.currencies ??= ["EUR", "USD", "JPY"];
  loaded.locales ??= ["en", "fr"];
  return loaded;
}
