// Builds dist/: one hashed script and stylesheet, index.html pointing at them. config.json is never built
// in: the server (the local stack, or CloudFront's bucket at deploy) serves it beside index.html.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const out = "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });

const result = await build({
  entryPoints: ["src/main.tsx"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  write: false,
  outdir: `${out}/assets`,
  legalComments: "none",
});

const hashed = {};
for (const file of result.outputFiles) {
  const extension = file.path.split(".").pop();
  const digest = createHash("sha256").update(file.contents).digest("hex").slice(0, 10);
  const name = `assets/app.${digest}.${extension}`;
  writeFileSync(`${out}/${name}`, file.contents);
  hashed[extension] = name;
}
const css = readFileSync("src/theme.css");
const cssName = `assets/theme.${createHash("sha256").update(css).digest("hex").slice(0, 10)}.css`;
writeFileSync(`${out}/${cssName}`, css);

const html = readFileSync("index.html", "utf8")
  .replace("%STYLES%", `<link rel="stylesheet" href="/${cssName}">`)
  .replace("%SCRIPT%", `<script type="module" src="/${hashed.js}"></script>`);
writeFileSync(`${out}/index.html`, html);
console.log(`storefront built: ${out}/index.html, /${hashed.js}, /${cssName}`);
