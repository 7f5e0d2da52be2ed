import { runtimeConfig } from "../../shared/runtimeConfig";

/** The runtime configuration, read from /config.json beside index.html: never built into the bundle. */
export interface Config {
  apiUrl: string;
  auth: { authorizeUrl: string; tokenUrl: string; logoutUrl: string; clientId: string; scopes: string };
  stripe: { publishableKey: string; jsUrl: string };
  defaultLocale: string;
  defaultCurrency: string;
  defaultCountry: string;
  locales: string[];
  currencies: string[];
}

const runtime = runtimeConfig<Config>("/config.json");
export const loadConfig = runtime.load;
export const config = runtime.get;
