/**
 * Checks that workspace imports follow the layer table of ARCHITECTURE.md: edges point down only, apps never
 * import each other, `@mlops/testing` is a devDependency, every `@mlops/*` import is declared, and no cycles.
 * Run by `pnpm lint`; exits 1 with one line per violation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const LAYERS: Record<string, number> = {
  core: 0,
  db: 1,
  lakehouse: 2,
  mlflow: 2,
  llm: 2,
  experiments: 3,
  registry: 3,
  monitors: 3,
  pipelines: 3,
  approvals: 3,
  queue: 4,
  stack: 5,
  jobs: 5,
  agent: 5,
  api: 6,
  worker: 6,
  cli: 6,
  web: 6,
};
/** Layers whose members may use each other (still without cycles). */
const SAME_LAYER_ALLOWED = new Set([4, 5]);
const DEV_ONLY = "testing";

interface Workspace {
  short: string;
  dir: string;
  deps: string[];
  devDeps: string[];
}

const root = process.cwd();
const workspaces: Workspace[] = [];
for (const group of ["packages", "apps"]) {
  for (const entry of readdirSync(join(root, group))) {
    const dir = join(root, group, entry);
    let manifest: { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const ours = (m?: Record<string, string>) =>
      Object.keys(m ?? {})
        .filter((n) => n.startsWith("@mlops/"))
        .map((n) => n.slice("@mlops/".length));
    workspaces.push({
      short: manifest.name.slice("@mlops/".length),
      dir,
      deps: ours(manifest.dependencies),
      devDeps: ours(manifest.devDependencies),
    });
  }
}

const problems: string[] = [];
const byName = new Map(workspaces.map((w) => [w.short, w]));

for (const w of workspaces) {
  const layer = w.short === DEV_ONLY ? Number.POSITIVE_INFINITY : LAYERS[w.short];
  if (layer === undefined) problems.push(`@mlops/${w.short}: not in the layer table (scripts/check-layers.ts)`);
  for (const dep of w.deps) {
    if (dep === DEV_ONLY && w.short !== DEV_ONLY) {
      problems.push(`@mlops/${w.short}: @mlops/testing must be a devDependency`);
      continue;
    }
    const depLayer = LAYERS[dep];
    if (depLayer === undefined || layer === undefined) continue;
    if (depLayer === 6) problems.push(`@mlops/${w.short} → @mlops/${dep}: apps are never imported`);
    else if (depLayer > layer || (depLayer === layer && !SAME_LAYER_ALLOWED.has(layer))) {
      problems.push(`@mlops/${w.short} (layer ${layer}) → @mlops/${dep} (layer ${depLayer}): edges must point down`);
    }
  }
}

// Every @mlops import in source must be declared; production code may import only production dependencies.
const importPattern = /(?:from\s+|import\s*\(\s*|import\s+)["']@mlops\/([a-z-]+)/g;
function walk(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith(".ts") || path.endsWith(".tsx")) out.push(path);
  }
  return out;
}
for (const w of workspaces) {
  for (const file of walk(join(w.dir, "src"), [])) {
    const isTest =
      /\.(test|int\.test|bench)\.tsx?$/.test(file) || file.includes("/test/") || file.includes("/test-support/");
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(importPattern)) {
      const dep = match[1]!;
      if (dep === w.short) continue;
      const declared = w.deps.includes(dep) || (isTest && w.devDeps.includes(dep));
      if (!declared) problems.push(`${relative(root, file)}: imports @mlops/${dep}, not declared in its package.json`);
    }
  }
}

// Cycles over production dependencies.
const state = new Map<string, "visiting" | "done">();
function visit(name: string, path: string[]): void {
  if (state.get(name) === "done") return;
  if (state.get(name) === "visiting") {
    problems.push(`cycle: ${[...path.slice(path.indexOf(name)), name].map((n) => `@mlops/${n}`).join(" → ")}`);
    return;
  }
  state.set(name, "visiting");
  for (const dep of byName.get(name)?.deps ?? []) if (byName.has(dep)) visit(dep, [...path, name]);
  state.set(name, "done");
}
for (const w of workspaces) visit(w.short, []);

if (problems.length > 0) {
  console.error(`Layer check failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`Layer check passed: ${workspaces.length} workspaces follow the layer table.`);
