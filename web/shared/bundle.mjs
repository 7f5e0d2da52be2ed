// One content-hashed script (and whatever else esbuild emits) under <out>/assets/<name>.<hash>.<ext>, for the
// web apps' build.mjs; `build` is the app's own esbuild. Returns each emitted file's path by extension.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";

export async function bundleHashed(build, { out, name, ...options }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(`${out}/assets`, { recursive: true });
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    write: false,
    outdir: `${out}/assets`,
    legalComments: "none",
    ...options,
  });
  const hashed = {};
  for (const file of result.outputFiles) {
    const extension = file.path.split(".").pop();
    const digest = createHash("sha256").update(file.contents).digest("hex").slice(0, 10);
    const path = `assets/${name}.${digest}.${extension}`;
    writeFileSync(`${out}/${path}`, file.contents);
    hashed[extension] = path;
  }
  return hashed;
}
