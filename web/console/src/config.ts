/** The runtime configuration, read from config.json beside index.html: never built into the bundle. */
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

let loaded: Config | null = null;

export async function loadConfig(): Promise<Config> {
  // Relative: the console is served at a port's root locally and under /console/ on CloudFront.
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  loaded = (await response.json()) as Config;
  return loaded;
}

export function config(): Config {
  if (!loaded) throw new Error("config.json is not loaded yet");
  return loaded;
}
