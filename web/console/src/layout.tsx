import type { ReactNode } from "react";
import { Layout, Menu, usePermissions } from "react-admin";
import type { Access } from "./permissions";
import { may } from "./permissions";
import { sections } from "./sections";
import { NotStaff } from "./pages/NotStaff";

/** The menu lists only the sections the signed-in person may use. */
export function ConsoleMenu() {
  const { permissions } = usePermissions<Access>();
  return (
    <Menu>
      {sections
        .filter((section) => may(permissions, section.permission))
        .map((section) => (
          <Menu.Item key={section.name} to={section.to} primaryText={section.label} leftIcon={<section.icon />} />
        ))}
    </Menu>
  );
}

/** react-admin's layout, or a plain page for someone signed in who is not staff. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { permissions, isPending } = usePermissions<Access>();
  if (!isPending && !permissions) return <NotStaff />;
  return <Layout menu={ConsoleMenu}>{children}</Layout>;
}
