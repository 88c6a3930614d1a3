import type { Experiment, ModelVersion, RegisteredModel, Run, RunInfo } from "./entities";

/*
 * Entities as MLflow's server writes them: protobuf JSON, which leaves out empty lists and unset fields (so an empty
 * search answers `{}`), with fields in MLflow's order.
 */

type Json = Record<string, unknown>;

function compact(object: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}

export const experimentToWire = (e: Experiment): Json => compact({ ...e });

export const runInfoToWire = (info: RunInfo): Json => compact({ ...info });

export function runToWire(run: Run, { withInputs = true } = {}): Json {
  return {
    info: runInfoToWire(run.info),
    data: compact({ metrics: run.data.metrics, params: run.data.params, tags: run.data.tags }),
    ...(withInputs ? { inputs: compact({ dataset_inputs: run.inputs.dataset_inputs }) } : {}),
  };
}

export const modelVersionToWire = (v: ModelVersion): Json => compact({ ...v });

export const registeredModelToWire = (m: RegisteredModel): Json =>
  compact({ ...m, latest_versions: m.latest_versions.map(modelVersionToWire) });

/** A search response: `{ <field>: [...], next_page_token }`, or `{}` when there is nothing. */
export function pageToWire<T>(field: string, items: T[], nextPageToken: string | undefined, map: (item: T) => Json) {
  return compact({ [field]: items.map(map), next_page_token: nextPageToken });
}
