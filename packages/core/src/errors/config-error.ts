import { MlopsError } from "./mlops-error";

export interface SettingProblem {
  /** The setting as the user writes it: an environment variable and/or a key of mlops.config.yaml. */
  setting: string;
  given: unknown;
  expected: string;
}

/** A bad or missing configuration value. Start-up stops with every problem listed. */
export class ConfigError extends MlopsError {
  readonly problems: SettingProblem[];

  constructor(problems: SettingProblem[], source: string) {
    const lines = problems.map(
      (p) =>
        `  - ${p.setting}: given ${p.given === undefined ? "nothing" : JSON.stringify(p.given)}, expected ${p.expected}`,
    );
    super("CONFIG_INVALID", `Invalid configuration (${source}):\n${lines.join("\n")}`, {
      hint: "Fix the value in the environment or in mlops.config.yaml; `mlops config` lists every setting.",
      context: { problems },
    });
    this.problems = problems;
  }
}
