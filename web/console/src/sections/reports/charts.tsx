import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReactNode } from "react";

/** A chart as a figure: its caption names it for a screen reader, the table beside it gives the numbers. */
export function Figure({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <figure style={{ margin: 0 }} aria-label={caption}>
      <div style={{ width: "100%", height: 240 }}>
        <ResponsiveContainer>{children as never}</ResponsiveContainer>
      </div>
      <figcaption style={{ fontSize: "0.875rem" }}>{caption}</figcaption>
    </figure>
  );
}

export function Bars({ data, x, y, label }: { data: object[]; x: string; y: string; label: string }) {
  return (
    <BarChart data={data} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey={x} />
      <YAxis />
      <Tooltip />
      <Bar dataKey={y} name={label} fill="#1565c0" />
    </BarChart>
  );
}

export function Lines({ data, x, y, label }: { data: object[]; x: string; y: string; label: string }) {
  return (
    <LineChart data={data} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey={x} />
      <YAxis />
      <Tooltip />
      <Line dataKey={y} name={label} stroke="#1565c0" />
    </LineChart>
  );
}
