import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError, type SettingProblem } from "../errors";
import { SETTINGS, type SettingName } from "./settings";

type SettingValue<K extends SettingName> = (typeof SETTINGS)[K] extends { schema: { _output: infer T } } ? T : never;

/** The validated configuration. Paths are absolute. */
export type AppConfig = { [K in SettingName]: SettingValue<K> } & {
  /** The project file that was read, if any. */
  configFile: string | undefined;
  /** Sections of the project file owned by other packages (endpoints, approvers…), validated by them. */
  sections: Record<string, unknown>;
};

export interface LoadConfigOptions {
  /** The environment (an app passes `process.env`; packages never read it themselves). */
  env: Record<string, string | undefined>;
  /** Directory to resolve relative paths and find `mlops.config.yaml` in. @defaultValue process.cwd() */
  cwd?: string;
  /** Explicit project file; otherwise `MLOPS_CONFIG`, then `mlops.config.yaml` in cwd if it exists. */
  file?: string;
}

/** Top-level keys of the project file that belong to other packages' schemas. */
const SECTION_KEYS = ["endpoints", "approvals", "criteria", "slack", "auth", "monitors", "governance"];

function getPath(object: unknown, dotted: string): unknown {
  let current = object;
  for (const part of dotted.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function readProjectFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ConfigError(
      [{ setting: path, given: "unreadable YAML", expected: `valid YAML (${(cause as Error).message})` }],
      path,
    );
  }
  if (parsed == null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError([{ setting: path, given: parsed, expected: "a YAML mapping of settings" }], path);
  }
  return parsed as Record<string, unknown>;
}

function unknownKeys(file: Record<string, unknown>): string[] {
  const known = new Set(Object.values(SETTINGS).map((s) => s.key));
  const knownRoots = new Set([...[...known].map((k) => k.split(".")[0]!), ...SECTION_KEYS]);
  const problems: string[] = [];
  for (const [root, value] of Object.entries(file)) {
    if (!knownRoots.has(root)) problems.push(root);
    else if (!SECTION_KEYS.includes(root) && value && typeof value === "object" && !Array.isArray(value)) {
      for (const child of Object.keys(value)) if (!known.has(`${root}.${child}`)) problems.push(`${root}.${child}`);
    }
  }
  return problems;
}

/**
 * Reads every setting from the environment (first) and the project file (second), validates each one and
 * fails with a {@link ConfigError} that names each bad setting, what was given and what is expected.
 */
export function loadConfig(options: LoadConfigOptions): AppConfig {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? options.env.MLOPS_CONFIG;
  const candidate = explicit ? resolve(cwd, explicit) : resolve(cwd, "mlops.config.yaml");
  if (explicit && !existsSync(candidate)) {
    throw new ConfigError(
      [{ setting: "MLOPS_CONFIG", given: explicit, expected: "the path of an existing mlops.config.yaml" }],
      "environment",
    );
  }
  const configFile = existsSync(candidate) ? candidate : undefined;
  const file = configFile ? readProjectFile(configFile) : {};
  const source = configFile ? `environment and ${configFile}` : "environment";

  const problems: SettingProblem[] = unknownKeys(file).map((key) => ({
    setting: `${key} (in ${configFile})`,
    given: "an unknown key",
    expected: "one of the settings listed by `mlops config`",
  }));
  const values: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTINGS)) {
    const fromEnv = options.env[s.env];
    const raw = fromEnv !== undefined && fromEnv !== "" ? fromEnv : getPath(file, s.key);
    const where = fromEnv !== undefined && fromEnv !== "" ? s.env : `${s.key} (in ${configFile})`;
    if (raw === undefined || raw === null) {
      values[name] = s.default;
      continue;
    }
    const result = (s.schema as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push({ setting: where, given: s.secret ? "(hidden)" : raw, expected: s.expected });
  }
  if (problems.length > 0) throw new ConfigError(problems, source);

  const home = values.home as string;
  values.home = isAbsolute(home) ? home : resolve(cwd, home);
  const sections: Record<string, unknown> = {};
  for (const key of SECTION_KEYS) if (file[key] !== undefined) sections[key] = file[key];
  return { ...(values as { [K in SettingName]: SettingValue<K> }), configFile, sections };
}

/** The URL the CLI uses to reach a running API. */
export function apiBaseUrl(config: AppConfig): string {
  if (config.apiUrl) return config.apiUrl.replace(/\/$/, "");
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

/** Settings for display: secrets masked, with where each value came from. */
export function describeSettings(config: AppConfig, env: Record<string, string | undefined>) {
  return Object.entries(SETTINGS).map(([name, s]) => {
    const value = config[name as SettingName];
    const fromEnv = env[s.env] !== undefined && env[s.env] !== "";
    return {
      name,
      env: s.env,
      key: s.key,
      value: value === undefined ? null : s.secret ? "(set)" : value,
      source: fromEnv ? "environment" : value === s.default ? "default" : "file",
      description: s.description,
    };
  });
}
