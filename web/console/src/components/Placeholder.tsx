import { Card, CardContent, Typography } from "@mui/material";
import { Title } from "react-admin";

/** A section not built yet: its heading, so the menu and routes already work. */
export function Placeholder({ title }: { title: string }) {
  return (
    <Card component="section" aria-labelledby="placeholder-title">
      <Title title={title} />
      <CardContent>
        <Typography id="placeholder-title" variant="h5" component="h1">
          {title}
        </Typography>
        <Typography>This section is on its way.</Typography>
      </CardContent>
    </Card>
  );
}
