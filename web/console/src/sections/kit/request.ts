import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { HttpError, useDataProvider, useNotify } from "react-admin";
import type { ConsoleDataProvider } from "../../dataProvider";

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
