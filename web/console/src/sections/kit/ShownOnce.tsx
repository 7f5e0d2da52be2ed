import { Alert, Box, Button, Typography } from "@mui/material";
import { useState } from "react";

/** A secret or key the API gives once: shown with a copy button and a plain warning. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert severity="warning" role="status" sx={{ my: 1 }}>
      <Typography sx={{ fontWeight: 600 }}>{label}: you will not see this again. Copy it now.</Typography>
      <Box component="code" data-secret sx={{ display: "block", my: 1, wordBreak: "break-all" }}>
        {value}
      </Box>
      <Button
        size="small"
        variant="outlined"
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      >
        {copied ? "Copied" : `Copy ${label.toLowerCase()}`}
      </Button>
    </Alert>
  );
}
