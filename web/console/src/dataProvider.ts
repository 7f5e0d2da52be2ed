import type { DataProvider, GetListParams, Identifier, RaRecord } from "react-admin";
import { api, type Query } from "./api";
import type { ResourceApi } from "./section";

/** react-admin's data provider for the commerce API. Lists page by cursor: react-admin asks for page n, the
 * provider sends the cursor it kept from page n-1 (partial pagination: previous and next, no total). */

interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface ConsoleDataProvider extends DataProvider {
  /** Any other call (an action such as archive, a form posting elsewhere): errors go through checkError. */
  send<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T>;
}

function withId(record: Record<string, unknown>, idField: string): RaRecord {
  return { ...record, id: (record.id ?? record[idField]) as Identifier };
}

/** Only the fields a form changed: the API's PATCH bodies take what changes, nothing it does not know. */
function changed(data: Record<string, unknown>, previous: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(([name, value]) => name !== "id" && JSON.stringify(value) !== JSON.stringify(previous[name])),
  );
}

export function makeDataProvider(resources: ResourceApi[]): ConsoleDataProvider {
  const byName = new Map(resources.map((resource) => [resource.name, resource]));
  // The cursor that fetches each page, per list (resource, filter and page size).
  const cursors = new Map<string, (string | null)[]>();

  function resourceOf(name: string): Required<ResourceApi> {
    const found = byName.get(name);
    if (!found) throw new Error(`No API path for the resource ${name}`);
    return { id: "id", ...found };
  }

  async function list(name: string, params: Partial<GetListParams>, extra: Query = {}) {
    const resource = resourceOf(name);
    const perPage = params.pagination?.perPage ?? 25;
    const page = params.pagination?.page ?? 1;
    const filter = { ...(params.filter as Query), ...extra };
    const key = JSON.stringify([name, filter, perPage]);
    const known = cursors.get(key) ?? [null];
    // A page whose cursor is not known yet (a bookmarked page 3) starts again at the first.
    const index = page - 1 < known.length ? page - 1 : 0;
    const answer = await api<Page<Record<string, unknown>>>("GET", resource.path, undefined, {
      ...filter,
      limit: perPage,
      cursor: known[index] ?? undefined,
    });
    const next = answer.next_cursor ?? null;
    cursors.set(key, [...known.slice(0, index + 1), next]);
    return {
      data: answer.items.map((item) => withId(item, resource.id)),
      pageInfo: { hasPreviousPage: index > 0, hasNextPage: next !== null },
    };
  }

  async function one(name: string, id: Identifier) {
    const resource = resourceOf(name);
    const record = await api<Record<string, unknown>>("GET", `${resource.path}/${encodeURIComponent(String(id))}`);
    return withId(record, resource.id);
  }

  const provider: ConsoleDataProvider = {
    getList: async (name, params) => (await list(name, params)) as never,
    getOne: async (name, params) => ({ data: (await one(name, params.id)) as never }),
    getMany: async (name, params) => ({ data: (await Promise.all(params.ids.map((id) => one(name, id)))) as never }),
    getManyReference: async (name, params) =>
      (await list(name, params, { [params.target]: String(params.id) })) as never,
    async create(name, params) {
      const resource = resourceOf(name);
      const record = await api<Record<string, unknown>>("POST", resource.path, params.data);
      return { data: withId(record, resource.id) as never };
    },
    async update(name, params) {
      const resource = resourceOf(name);
      const body = changed(params.data as Record<string, unknown>, (params.previousData ?? {}) as Record<string, unknown>);
      const path = `${resource.path}/${encodeURIComponent(String(params.id))}`;
      const record = await api<Record<string, unknown>>("PATCH", path, body);
      return { data: withId(record, resource.id) as never };
    },
    async updateMany() {
      throw new Error("The API changes one record at a time");
    },
    async delete(name, params) {
      const resource = resourceOf(name);
      await api("DELETE", `${resource.path}/${encodeURIComponent(String(params.id))}`);
      return { data: params.previousData as never };
    },
    async deleteMany() {
      throw new Error("The API deletes one record at a time");
    },
    send: (method, path, body, query) => api(method, path, body, query),
  };
  return provider;
}
