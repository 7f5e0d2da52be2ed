import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { HttpError, useDataProvider, useNotify } from "react-admin";
import type { Query } from "../../api";
import type { ConsoleDataProvider } from "../../dataProvider";

/** A GET of the API for a page of its own, cached under its path and query. */
export function useRead<T>(path: string | null, query: Query = {}) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["read", path, query],
    queryFn: () => dataProvider.send<T>("GET", path ?? "", undefined, query),
    enabled: path !== null,
    retry: false,
  });
}

/** The API's answer to a refused action, in words a person reads. */
export function refusal(error: unknown): string {
  if (error instanceof HttpError) return `${error.status === 403 ? "Not allowed: " : ""}${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** An action (approve, pause, replay...): runs it, refreshes what the page reads, keeps the API's refusal
 * (a 403 problem included) for the page to show next to the button. */
export function useAction() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queries = useQueryClient();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(method: string, path: string, body?: unknown, done?: string): Promise<T | null> {
    setBusy(true);
    setError(null);
    try {
      const answer = await dataProvider.send<T>(method, path, body);
      await queries.invalidateQueries();
      if (done) notify(done, { type: "success" });
      return answer;
    } catch (caught) {
      setError(refusal(caught));
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error };
}
