/** What the signed-in person may do, from `GET /me` (`staff`): the console shows only that. */
export type Permission =
  | "catalog"
  | "inventory"
  | "orders:read"
  | "orders:manage"
  | "refunds"
  | "refunds:any"
  | "customers:read"
  | "customers:manage"
  | "reports"
  | "marketing"
  | "integrations";

export interface Staff {
  groups: string[];
  permissions: Permission[];
  refund_limits: Record<string, number>;
  refunds_unlimited?: boolean;
}

/** react-admin's permissions: the staff record, or null for a signed-in person who is not staff. */
export type Access = Staff | null;

export function may(access: Access | undefined, permission: Permission | null): boolean {
  if (!access) return false;
  return permission === null || access.permissions.includes(permission);
}
