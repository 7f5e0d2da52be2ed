import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import type { ReactNode } from "react";

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A read-only table named by its caption, or a sentence when there is nothing to list. */
export function Rows<T>({ caption, columns, rows, keyOf, none = "none" }: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  keyOf: (row: T, index: number) => string;
  none?: string;
}) {
  if (rows.length === 0) return <Typography sx={{ my: 1 }}>{`${caption}: ${none}.`}</Typography>;
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
          <TableRow key={keyOf(row, index)}>
            {columns.map((column) => (
              <TableCell key={column.label} align={column.numeric ? "right" : "left"}>
                {column.cell(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
