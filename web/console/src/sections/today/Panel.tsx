import { Card, CardContent, Link as MuiLink, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";

/** One thing that may need a person, with a link to where it is dealt with. */
export function Panel({ id, title, to, linkText, children }: { id: string; title: string; to: string; linkText: string; children: ReactNode }) {
  return (
    <Card component="section" aria-labelledby={`${id}-heading`} variant="outlined">
      <CardContent>
        <Typography id={`${id}-heading`} variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {children}
        <MuiLink component={Link} to={to} sx={{ display: "inline-block", mt: 1 }}>
          {linkText}
        </MuiLink>
      </CardContent>
    </Card>
  );
}

/** A link inside a panel's table, to one record. */
export function RecordLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <MuiLink component={Link} to={to}>
      {children}
    </MuiLink>
  );
}
