/**
 * Production build of the deployable Node apps: one ESM bundle per app in `apps/<app>/dist/` (git-ignored), run
 * with plain `node` — no tsx, no TypeScript transform at run time. The workspace packages (`@mlops/*`, TypeScript
 * sources) and the pure-JS libraries are bundled; packages with native addons, WebAssembly or worker-thread files
 * stay external and load from node_modules as before (import paths rewritten relative to the bundle, since pnpm
 * links a package's dependencies next to that package, not next to the app).
 * Run: pnpm build [app…]   (default: every app listed below). Development keeps `tsx src/main.ts`.
 * The experiments benchmark builds its worker process with {@link buildBundle} too, so it measures this way.
 */
import { readFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const root = resolve(fileURLToPath(import.meta.url), "../..");
/** Each app built for production: its entry point and output folder (git-ignored), from the repository root. */
export const BUILT_APPS: Record<string, { entry: string; outdir: string }> = {
  worker: { entry: "apps/worker/src/main.ts", outdir: "apps/worker/dist" },
};
/**
 * Kept out of the bundle: native addons (DuckDB, pg-native), WebAssembly with files beside it (PGlite), worker
 * threads loaded by file name (pino transports), heavy optional drivers loaded on first use.
 */
const EXTERNAL = [
  "@duckdb/node-api",
  "@duckdb/node-bindings",
  "@databricks/sql",
  "@electric-sql/pglite",
  "pg-native",
  "pino",
  "thread-stream",
  "@langchain/*",
];

const isExternal = (name: string) =>
  EXTERNAL.some((e) => (e.endsWith("/*") ? name.startsWith(e.slice(0, -1)) : name === e || name.startsWith(`${e}/`)));

/** Externals are imported by a path relative to the bundle, resolved from the importing module's directory. */
function externalsNextToImporter(outdir: string): Plugin {
  return {
    name: "externals-next-to-importer",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:") || !isExternal(args.path)) return undefined;
        const require = createRequire(join(args.resolveDir, "_"));
        let resolved: string;
        try {
          resolved = realpathSync(require.resolve(args.path));
        } catch {
          // Optional peer absent here (pg-native…): left as written; its importer guards the require.
          return { path: args.path, external: true };
        }
        const path = relative(outdir, resolved).split(sep).join("/");
        return { path: path.startsWith(".") ? path : `./${path}`, external: true };
      });
    },
  };
}

/**
 * Workspace sources find their files (migrations, sample datasets, pipeline specs) from `import.meta.url`; in
 * the bundle that URL is the bundle's, so it is rewritten to the source file's URL, relative to the bundle.
 */
function sourceFileUrls(outdir: string): Plugin {
  return {
    name: "source-file-urls",
    setup(b) {
      b.onLoad({ filter: /[\\/](packages|apps)[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        const path = relative(outdir, args.path).split(sep).join("/");
        return {
          contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(path)}, import.meta.url).href`),
          loader: "ts",
        };
      });
    },
  };
}

/** Bundles one entry point into `outdir/main.js` (plus chunks loaded on first use). Returns the bundle's path. */
export async function buildBundle(options: { entry: string; outdir: string; quiet?: boolean }): Promise<string> {
  const outdir = resolve(root, options.outdir);
  const started = performance.now();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: resolve(root, options.entry) },
    outdir,
    // Modules the sources load with `await import()` (PGlite, DuckDB, Databricks, job handlers) become chunks
    // loaded on first use, as under tsx; a single file would hoist their external imports to start-up. Chunks sit
    // beside main.js so that the relative paths of the externals hold for every output file.
    splitting: true,
    chunkNames: "[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    legalComments: "none",
    // Whitespace and comments out: V8 keeps every loaded module's source text on the heap for the life of the
    // process (lazy compilation re-parses it), and a comment with one non-Latin-1 character (an em dash, “quotes”)
    // makes the whole chunk a two-byte string — about 8 MiB of the worker's live heap before, about 3 after.
    // Identifiers stay (stack traces keep function names); the linked source map maps positions back.
    minifyWhitespace: true,
    logLevel: "warning",
    metafile: true,
    // Bundled CommonJS libraries (ioredis, bullmq…) may call require(): give the ESM bundle one.
    banner: {
      js: 'import { createRequire as __mlopsCreateRequire } from "node:module"; const require = __mlopsCreateRequire(import.meta.url);',
    },
    plugins: [externalsNextToImporter(outdir), sourceFileUrls(outdir)],
  });
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith(".js"))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
  const ms = Math.round(performance.now() - started);
  const main = join(outdir, "main.js");
  if (!options.quiet) {
    process.stderr.write(`built ${relative(root, main)} (${(bytes / 2 ** 20).toFixed(1)} MiB of JS, ${ms} ms)\n`);
  }
  return main;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const apps = process.argv.slice(2);
  for (const app of apps.length > 0 ? apps : Object.keys(BUILT_APPS)) {
    const target = BUILT_APPS[app];
    if (!target) throw new Error(`unknown app "${app}"; known: ${Object.keys(BUILT_APPS).join(", ")}`);
    await buildBundle(target);
  }
}
