import { Admin, CustomRoutes, Resource } from "react-admin";
import { Route } from "react-router-dom";
import { authProvider } from "./authProvider";
import { makeDataProvider } from "./dataProvider";
import { ConsoleLayout } from "./layout";
import { SignInPage } from "./pages/SignInPage";
import type { Access } from "./permissions";
import { may } from "./permissions";
import { Dashboard, sections } from "./sections";
import { theme } from "./theme";

const dataProvider = makeDataProvider(sections.flatMap((section) => section.resources));

/** Hash routing (react-admin's default): the same build works at any path, /console/ included. */
export function App() {
  return (
    <Admin
      title="Shop console"
      authProvider={authProvider}
      dataProvider={dataProvider}
      loginPage={SignInPage}
      layout={ConsoleLayout}
      dashboard={Dashboard}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {(permissions: Access) => {
        const allowed = sections.filter((section) => may(permissions, section.permission));
        return [
          ...allowed.flatMap((section) =>
            section.resources.map((resource) => (
              <Resource
                key={resource.name}
                name={resource.name}
                options={{ label: resource.label }}
                list={resource.list}
                edit={resource.edit}
                create={resource.create}
                show={resource.show}
              />
            )),
          ),
          <CustomRoutes key="pages">
            {allowed.flatMap((section) =>
              (section.routes ?? []).map((route) => <Route key={route.path} path={route.path} element={route.element} />),
            )}
          </CustomRoutes>,
        ];
      }}
    </Admin>
  );
}
