import { isMlflowError, type ModelVersion } from "@mlops/mlflow";
import { MODEL_ARTIFACT_PATH, MODEL_SPEC_FILE, type ModelSpec, parseModelSpec } from "./model-spec";
import { parseModelUri } from "./model-uri";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";
import { aliasMap, getModel, getVersion, tracked } from "./tracking-calls";

export interface LoadedModelSpec {
  uri: string;
  model: string;
  version: string;
  runId: string;
  spec: ModelSpec;
}

/** `runs:/<run>/<path>` → its parts; other sources fall back to the version's run and `model/`. */
function artifactLocation(version: ModelVersion): { runId: string; path: string } {
  const match = /^runs:\/+([^/]+)\/?(.*)$/.exec(version.source);
  if (match) return { runId: match[1] as string, path: (match[2] ?? "").replace(/\/+$/, "") };
  return { runId: version.run_id, path: MODEL_ARTIFACT_PATH };
}

/**
 * Loads the spec a model version was registered with, from `models:/name@alias` or `models:/name/<version>`, e.g.
 * `loadModelSpec(deps, "models:/news-classifier@champion")` for batch scoring with the champion.
 */
export async function loadModelSpec(deps: Pick<RegistryDeps, "mlflow">, uri: string): Promise<LoadedModelSpec> {
  const parsed = parseModelUri(uri);
  let versionNumber = parsed.version;
  if (parsed.alias !== undefined) {
    const aliases = aliasMap(await getModel(deps, parsed.name));
    versionNumber = aliases[parsed.alias];
    if (!versionNumber) {
      throw new RegistryError("REGISTRY_ALIAS_NOT_FOUND", `Model '${parsed.name}' has no alias '${parsed.alias}'.`, {
        hint: `Its aliases: ${Object.keys(aliases).join(", ") || "none"}.`,
        context: { model: parsed.name, alias: parsed.alias, aliases },
      });
    }
  }
  const version = await getVersion(deps, parsed.name, versionNumber as string);
  const { runId, path } = artifactLocation(version);
  const file = path ? `${path}/${MODEL_SPEC_FILE}` : MODEL_SPEC_FILE;
  const bytes = await tracked(deps, async () => {
    try {
      return await deps.mlflow.artifacts.download(runId, file);
    } catch (error) {
      if (isMlflowError(error) && error.code !== "MLFLOW_UNREACHABLE") {
        throw new RegistryError(
          "REGISTRY_INVALID_SPEC",
          `Version ${version.version} of ${parsed.name} has no readable ${file} in run ${runId}: ${error.message}`,
          { hint: "It was registered without a spec; register a version logged with its spec.", cause: error },
        );
      }
      throw error;
    }
  });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new RegistryError("REGISTRY_INVALID_SPEC", `${file} of run ${runId} is not JSON.`, { cause });
  }
  return {
    uri,
    model: parsed.name,
    version: version.version,
    runId,
    spec: parseModelSpec(json, `spec of ${parsed.name} version ${version.version}`),
  };
}
