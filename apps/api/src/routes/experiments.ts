import type { AppDatabase } from "@mlops/db";
import {
  cancelExperiment,
  describeExperiment,
  ExperimentError,
  ExperimentStore,
  experimentSpecSchema,
  isExperimentError,
  listExperiments,
} from "@mlops/experiments";
import { submitExperiment } from "@mlops/jobs";
import { type EndpointRegistry, isLlmError } from "@mlops/llm";
import { experimentRegistrationSchema, type JobProducer } from "@mlops/queue";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { handleError } from "../http/http-error";
import { parseBody } from "../http/parse-body";

/** HTTP status of each experiment error. */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  EXPERIMENT_DATASET_NOT_FOUND: 400,
  EXPERIMENT_DATASET_INVALID: 400,
  EXPERIMENT_DATASET_EMPTY: 400,
  EXPERIMENT_UNKNOWN_MODEL: 400,
  EXPERIMENT_SPEC_INVALID: 400,
  EXPERIMENT_NOT_FOUND: 404,
  EXPERIMENT_NOT_CANCELLABLE: 409,
  LLM_INVALID_ENDPOINT: 400,
};

function handleExperimentError(error: Error, c: Context) {
  if (isExperimentError(error) || isLlmError(error)) {
    return c.json({ error: error.toJSON() }, STATUS_BY_CODE[error.code] ?? 500);
  }
  return handleError(error, c);
}

export interface ExperimentRoutesOptions {
  db: AppDatabase;
  jobs: JobProducer;
  /** The endpoints experiments may use (`endpointRegistryFromConfig(stack.config)`); built on first use. */
  registry: () => EndpointRegistry;
}

/**
 * Experiments over HTTP: `POST /v1/experiments` (a spec; 202 with the experiment), `GET /v1/experiments`,
 * `GET /v1/experiments/:id` (status, progress per model, report), `GET /v1/experiments/:id/compare`,
 * `POST /v1/experiments/:id/cancel`.
 */
export function experimentRoutes(options: ExperimentRoutesOptions) {
  const store = new ExperimentStore(options.db);
  let registry: EndpointRegistry | undefined;
  return new Hono<{ Variables: { user: string } }>()
    .onError(handleExperimentError)
    .post("/v1/experiments", async (c) => {
      // The spec, plus where its results are registered (`--register-as`, `--no-register`, `--require-approval`).
      const { registration, ...spec } = await parseBody(
        c,
        experimentSpecSchema.and(z.object({ registration: experimentRegistrationSchema.partial().optional() })),
      );
      registry ??= options.registry();
      const { experimentId, jobId } = await submitExperiment({
        db: options.db,
        jobs: options.jobs,
        registry,
        spec,
        ...(registration ? { registration } : {}),
        requestedBy: c.get("user") ?? "api",
      });
      return c.json({ ...(await describeExperiment(store, experimentId)), jobId }, 202);
    })
    .get("/v1/experiments", async (c) => {
      const limit = Math.min(Number(c.req.query("limit") ?? 50) || 50, 500);
      return c.json({ experiments: await listExperiments(store, limit) });
    })
    .get("/v1/experiments/:id", async (c) => c.json(await describeExperiment(store, c.req.param("id"))))
    .get("/v1/experiments/:id/compare", async (c) => {
      const view = await describeExperiment(store, c.req.param("id"));
      if (!view.report) {
        throw new ExperimentError("EXPERIMENT_NOT_FOUND", `Experiment ${view.id} has no report yet (${view.status}).`, {
          hint: `Follow it with \`mlops experiment show ${view.id}\`.`,
        });
      }
      return c.json(view.report);
    })
    .post("/v1/experiments/:id/cancel", async (c) => c.json(await cancelExperiment(store, c.req.param("id"))));
}
