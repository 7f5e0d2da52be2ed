import { Alert, Card, CardContent, Typography } from "@mui/material";
import type { ReactNode } from "react";

/** A card with a heading (level 2) and, when the API refused something, its problem under the heading. */
export function Panel({ title, error, children }: { title: string; error?: string | null; children: ReactNode }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Card component="section" aria-labelledby={id} sx={{ mb: 2 }}>
      <CardContent>
        <Typography id={id} variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {error ? (
          <Alert severity="error" role="alert" sx={{ mb: 1 }}>
            {error}
          </Alert>
        ) : null}
        {children}
      </CardContent>
    </Card>
  );
}

/** The page's own heading (level 1), which react-admin's app bar does not give. */
export function PageHeading({ children }: { children: ReactNode }) {
  return (
    <Typography variant="h5" component="h1" sx={{ my: 2 }}>
      {children}
    </Typography>
  );
}
