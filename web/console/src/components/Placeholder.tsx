import { Typography } from "@mui/material";
import { Page } from "./Page";

/** A section not built yet: its heading, so the menu and routes already work. */
export function Placeholder({ title }: { title: string }) {
  return (
    <Page title={title}>
      <Typography>This section is on its way.</Typography>
    </Page>
  );
}
