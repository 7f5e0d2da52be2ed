import { defaultTheme, type RaThemeOptions } from "react-admin";

/** react-admin's default theme with a darker primary colour (text on it keeps a 4.5:1 contrast), and an empty
 * list's message in the secondary text colour instead of the disabled one, which is too faint to read. */
export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: "#1f4e79" }, secondary: { main: "#1f4e79" } },
  components: {
    ...defaultTheme.components,
    RaEmpty: { styleOverrides: { root: { "& .RaEmpty-message": { color: "rgba(0, 0, 0, 0.7)" } } } },
  } as RaThemeOptions["components"],
};
