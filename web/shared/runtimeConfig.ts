/** A web app's runtime configuration: config.json beside index.html, served by the host (the local stack, or
 * CloudFront's bucket at deploy), never built into the bundle. */
export function runtimeConfig<T>(url: string): { load: () => Promise<T>; get: () => T } {
  let loaded: T | null = null;
  return {
    async load() {
      const response = await fetch(url, { cache: "no-store" });
      if (!response.ok) throw new Error(`config.json: ${response.status}`);
      loaded = (await response.json()) as T;
      return loaded;
    },
    get() {
      if (loaded === null) throw new Error("config.json is not loaded yet");
      return loaded;
    },
  };
}
