import { useQueryClient } from "@tanstack/react-query";
import { useNotify, useRefresh } from "react-admin";
import { useApi } from "../../useApi";
import type { Location } from "./types";

export function useLocations(): { id: string; name: string }[] {
  const { data } = useApi<{ items: Location[] }>("/admin/locations");
  return (data?.items ?? []).map((location) => ({ id: location.id, name: `${location.name} (${location.id})` }));
}

/** After a change to stock: a notice, and every stock figure on screen fetched again. */
export function useStockChanged(): (message: string) => () => void {
  const queries = useQueryClient();
  const notify = useNotify();
  const refresh = useRefresh();
  return (message) => () => {
    notify(message, { type: "success" });
    void queries.invalidateQueries({ queryKey: ["api"] });
    refresh();
  };
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "";
}
