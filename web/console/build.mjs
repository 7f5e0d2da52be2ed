// Builds dist/: one hashed script, index.html pointing at it by a relative URL, so the same build serves at
// the root of a local port and under /console/ on CloudFront. config.json is never built in: the server
// serves it beside index.html.
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
  define: { "process.env.NODE_ENV": '"production"' },
  write: false,
  outdir: `${out}/assets`,
  legalComments: "none",
});

const hashed = {};
for (const file of result.outputFiles) {
  const extension = file.path.split(".").pop();
  const digest = createHash("sha256").update(file.contents).digest("hex").slice(0, 10);
  const name = `assets/console.${digest}.${extension}`;
  writeFileSync(`${out}/${name}`, file.contents);
  hashed[extension] = name;
}

const html = readFileSync("index.html", "utf8").replace(
  "%SCRIPT%",
  `<script type="module" src="${hashed.js}"></script>`,
);
writeFileSync(`${out}/index.html`, html);
console.log(`console built: ${out}/index.html, ${hashed.js}`);
