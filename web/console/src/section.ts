import type { ComponentType, ReactElement } from "react";
import type { Permission } from "./permissions";

/** Where a react-admin resource lives in the API: `products` is `/admin/products`, its records keyed by `id`
 * (or another field, such as `sku`). */
export interface ResourceApi {
  name: string;
  path: string;
  id?: string;
}

export interface ConsoleResource extends ResourceApi {
  label?: string;
  list?: ComponentType;
  edit?: ComponentType;
  create?: ComponentType;
  show?: ComponentType;
}

/** One section of the console: its menu entry, the permission it needs (null: any staff), its resources and
 * any pages of its own (`routes`, under the layout). */
export interface Section {
  name: string;
  label: string;
  permission: Permission | null;
  icon: ComponentType;
  to: string;
  resources: ConsoleResource[];
  routes?: { path: string; element: ReactElement }[];
}
