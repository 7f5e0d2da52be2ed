import { Box, Button } from "@mui/material";
import { useListContext } from "react-admin";

/** Previous and next, nothing more: the API pages by cursor and never counts (react-admin's own pagination
 * would print a made-up total). */
export function CursorPagination() {
  const { page, setPage, hasPreviousPage, hasNextPage, isPending } = useListContext();
  if (!hasPreviousPage && !hasNextPage) return null;
  return (
    <Box component="nav" aria-label="Pages" sx={{ display: "flex", justifyContent: "flex-end", gap: 1, p: 1 }}>
      <Button disabled={isPending || !hasPreviousPage} onClick={() => setPage(page - 1)}>
        Previous page
      </Button>
      <Button disabled={isPending || !hasNextPage} onClick={() => setPage(page + 1)}>
        Next page
      </Button>
    </Box>
  );
}
