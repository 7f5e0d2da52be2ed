// Builds dist/: one hashed script, index.html pointing at it by a relative URL, so the same build serves at
// the root of a local port and under /console/ on CloudFront. config.json is never built in: the server
// serves it beside index.html.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { bundleHashed } from "../shared/bundle.mjs";

const out = "dist";
const hashed = await bundleHashed(build, {
  out,
  name: "console",
  entryPoints: ["src/main.tsx"],
  define: { "process.env.NODE_ENV": '"production"' },
});
const html = readFileSync("index.html", "utf8").replace("%SCRIPT%", `<script type="module" src="${hashed.js}"></script>`);
writeFileSync(`${out}/index.html`, html);
console.log(`console built: ${out}/index.html, ${hashed.js}`);
