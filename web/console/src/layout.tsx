import type { ReactNode } from "react";
import { AppBar, Layout, Logout, Menu, UserMenu, useGetIdentity, usePermissions } from "react-admin";
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

/** The user menu's button is named by what it shows, the person's name (not "Profile"). */
function ConsoleUserMenu() {
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ?? "Account"}>
      <Logout />
    </UserMenu>
  );
}

function ConsoleAppBar() {
  return <AppBar userMenu={<ConsoleUserMenu />} />;
}

/** react-admin's layout, or a plain page for someone signed in who is not staff. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { permissions, isPending } = usePermissions<Access>();
  if (!isPending && !permissions) return <NotStaff />;
  return <Layout menu={ConsoleMenu} appBar={ConsoleAppBar}>{children}</Layout>;
}
