import { MODEL_ARTIFACT_PATH, MODEL_SPEC_FILE, type ModelSpecInput, mlmodelFile, parseModelSpec } from "./model-spec";
import type { RegistryDeps } from "./registry-deps";
import { tracked } from "./tracking-calls";

/**
 * Logs a classifier's spec as the `model/` artifact of a run (`model/spec.json` and an `MLmodel` file) and returns
 * the source to register: `runs:/<runId>/model`.
 */
export async function logModelSpec(
  deps: Pick<RegistryDeps, "mlflow">,
  runId: string,
  spec: ModelSpecInput,
): Promise<string> {
  const parsed = parseModelSpec(spec);
  await tracked(deps, async () => {
    await deps.mlflow.artifacts.upload(
      runId,
      `${MODEL_ARTIFACT_PATH}/${MODEL_SPEC_FILE}`,
      JSON.stringify(parsed, null, 2),
    );
    await deps.mlflow.artifacts.upload(runId, `${MODEL_ARTIFACT_PATH}/MLmodel`, mlmodelFile(parsed, runId));
  });
  return `runs:/${runId}/${MODEL_ARTIFACT_PATH}`;
}
