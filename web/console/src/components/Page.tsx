import { Card, CardContent, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Title } from "react-admin";

/** A page of its own (not a react-admin resource view): the app bar's title and the page's one h1. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <Title title={title} />
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}
