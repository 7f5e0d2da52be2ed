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

let loaded: Config | null = null;

export async function loadConfig(): Promise<Config> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  loaded = (await response.json()) as Config;
  return loaded;
}

export function config(): Config {
  if (!loaded) throw new Error("config.json is not loaded yet");
  return loaded;
}
