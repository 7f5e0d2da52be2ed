import { useQuery } from "@tanstack/react-query";
import { useDataProvider } from "react-admin";
import type { Query } from "./api";
import type { ConsoleDataProvider } from "./dataProvider";

/** A GET of the API, cached by react-query under its path and query; a 401 or 403 goes through the auth
 * provider like every react-admin call. */
export function useApi<T>(path: string | null, query: Query = {}) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["api", path, query],
    queryFn: () => dataProvider.send<T>("GET", path ?? "", undefined, query),
    enabled: path !== null,
    retry: false,
  });
}

/** The data provider's `send`, for actions (archive, receive, send a purchase order...). */
export function useSend() {
  return useDataProvider<ConsoleDataProvider>().send;
}
