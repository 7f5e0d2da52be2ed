// Builds dist/: one hashed script and stylesheet, index.html pointing at them. config.json is never built
// in: the server (the local stack, or CloudFront's bucket at deploy) serves it beside index.html.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { bundleHashed } from "../shared/bundle.mjs";

const out = "dist";
const hashed = await bundleHashed(build, { out, name: "app", entryPoints: ["src/main.tsx"], jsxImportSource: "preact" });
const css = readFileSync("src/theme.css");
const cssName = `assets/theme.${createHash("sha256").update(css).digest("hex").slice(0, 10)}.css`;
writeFileSync(`${out}/${cssName}`, css);

const html = readFileSync("index.html", "utf8")
  .replace("%STYLES%", `<link rel="stylesheet" href="/${cssName}">`)
  .replace("%SCRIPT%", `<script type="module" src="/${hashed.js}"></script>`);
writeFileSync(`${out}/index.html`, html);
console.log(`storefront built: ${out}/index.html, /${hashed.js}, /${cssName}`);
