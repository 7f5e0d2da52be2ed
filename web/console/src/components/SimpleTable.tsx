import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import type { ReactNode } from "react";

/** A small read-only table with a caption (its accessible name) and column headers. */
export function SimpleTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty = "None.",
}: {
  caption: string;
  columns: { label: string; value: (row: T) => ReactNode; numeric?: boolean }[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  empty?: string;
}) {
  if (rows.length === 0) return <Typography sx={{ my: 1 }}>{`${caption}: ${empty}`}</Typography>;
  return (
    <Table size="small" sx={{ my: 1, "& caption": { captionSide: "top", fontWeight: 600, px: 0 } }}>
      <caption>{caption}</caption>
      <TableHead>
        <TableRow>
          {columns.map((column) => (
            <TableCell key={column.label} align={column.numeric ? "right" : "left"}>
              {column.label}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row, index) => (
          <TableRow key={rowKey(row, index)}>
            {columns.map((column) => (
              <TableCell key={column.label} align={column.numeric ? "right" : "left"}>
                {column.value(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
