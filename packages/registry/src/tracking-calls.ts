import { isMlflowError, type ModelVersion, type RegisteredModel } from "@mlops/mlflow";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";

/** Runs MLflow calls, turning "cannot reach the server" into the registry's own error. */
export async function tracked<T>(deps: Pick<RegistryDeps, "mlflow">, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isMlflowError(error, "MLFLOW_UNREACHABLE")) throw unreachable(deps, error);
    throw error;
  }
}

export function unreachable(deps: Pick<RegistryDeps, "mlflow">, cause: unknown, extra = ""): RegistryError {
  return new RegistryError(
    "REGISTRY_TRACKING_UNREACHABLE",
    `Cannot reach the MLflow tracking server at ${deps.mlflow.baseUrl}.${extra ? ` ${extra}` : ""}`,
    {
      hint: "Check MLFLOW_TRACKING_URI and that the server is running (`mlops up` starts the built-in one), then retry.",
      cause,
    },
  );
}

/** The registered model, or REGISTRY_MODEL_NOT_FOUND. */
export async function getModel(deps: Pick<RegistryDeps, "mlflow">, name: string): Promise<RegisteredModel> {
  return tracked(deps, async () => {
    try {
      return await deps.mlflow.registeredModels.get(name);
    } catch (error) {
      if (isMlflowError(error, "RESOURCE_DOES_NOT_EXIST")) {
        throw new RegistryError("REGISTRY_MODEL_NOT_FOUND", `No registered model '${name}'.`, {
          hint: "Check the name (Unity Catalog models are catalog.schema.model); `mlops registry status` needs a model that has versions.",
          context: { model: name },
        });
      }
      throw error;
    }
  });
}

/** The registered model, or undefined when there is none yet. */
export async function findModel(
  deps: Pick<RegistryDeps, "mlflow">,
  name: string,
): Promise<RegisteredModel | undefined> {
  try {
    return await getModel(deps, name);
  } catch (error) {
    if (error instanceof RegistryError && error.code === "REGISTRY_MODEL_NOT_FOUND") return undefined;
    throw error;
  }
}

/** One version, or REGISTRY_VERSION_NOT_FOUND (REGISTRY_MODEL_NOT_FOUND when the model itself is missing). */
export async function getVersion(
  deps: Pick<RegistryDeps, "mlflow">,
  name: string,
  version: string,
): Promise<ModelVersion> {
  return tracked(deps, async () => {
    try {
      return await deps.mlflow.modelVersions.get(name, version);
    } catch (error) {
      if (isMlflowError(error, "RESOURCE_DOES_NOT_EXIST") || isMlflowError(error, "INVALID_PARAMETER_VALUE")) {
        await getModel(deps, name);
        throw new RegistryError("REGISTRY_VERSION_NOT_FOUND", `Model '${name}' has no version ${version}.`, {
          hint: `\`mlops registry status ${name}\` lists its versions.`,
          context: { model: name, version },
        });
      }
      throw error;
    }
  });
}

/** Every version of a model, oldest first (all pages). */
export async function listVersions(deps: Pick<RegistryDeps, "mlflow">, name: string): Promise<ModelVersion[]> {
  return tracked(deps, async () => {
    const versions: ModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const page = await deps.mlflow.modelVersions.search({
        filter: `name='${name.replace(/'/g, "\\'")}'`,
        maxResults: 1000,
        ...(pageToken ? { pageToken } : {}),
      });
      versions.push(...page.items.filter((v) => v.name === name));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return versions.sort((a, b) => Number(a.version) - Number(b.version));
  });
}

/** Where each alias points: `{ champion: "3", challenger: "5" }`. */
export function aliasMap(model: RegisteredModel): Record<string, string> {
  return Object.fromEntries(model.aliases.map((a) => [a.alias, a.version]));
}

/** The version's tags as a record. */
export function tagMap(tags: { key: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

/** Metrics stored on a version as `metric.<key>` tags. */
export function versionMetrics(version: ModelVersion): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const tag of version.tags) {
    if (!tag.key.startsWith("metric.")) continue;
    const value = Number(tag.value);
    if (Number.isFinite(value)) metrics[tag.key.slice("metric.".length)] = value;
  }
  return metrics;
}
