import { experimentSpecSchema } from "@mlops/experiments";
import { z } from "zod";
import { defineJob } from "./define-job";

/**
 * What happens to an experiment's results after its report: where they are logged in MLflow and under which
 * registered model its models become versions (champion / challenger / candidate, by the registry's rules).
 */
export const experimentRegistrationSchema = z.object({
  model: z
    .string()
    .min(1)
    .optional()
    .describe("Registered model name (`--register-as`); absent: results are logged but nothing is registered"),
  register: z.boolean().default(true).describe("`false` (`--no-register`): evaluate and tag, register nothing"),
  requireApproval: z
    .boolean()
    .default(false)
    .describe("Ask before registering (`--require-approval`): registrations come back pending"),
  mlflowExperiment: z.string().min(1).optional().describe("MLflow experiment name (default mlops/<dataset>)"),
});
export type ExperimentRegistration = z.output<typeof experimentRegistrationSchema>;

/** Queue of experiment work: preparation, shards (model × items) and the final report. */
export const EXPERIMENTS_QUEUE = "experiments";

/** Prepares an experiment (dataset → items, models) and adds its flow: one shard job per model × shard, then finalize. */
export const experimentStartJob = defineJob({
  name: "experiment.start",
  queue: EXPERIMENTS_QUEUE,
  description: "Prepares an experiment and adds its flow of shard jobs and the final report job.",
  payload: z.object({
    experimentId: z.string().min(1).describe("Id of the experiment record (exp_…)"),
    spec: experimentSpecSchema,
    registration: experimentRegistrationSchema.optional(),
  }),
  result: z.object({
    experimentId: z.string(),
    shards: z.number().int(),
    models: z.array(z.object({ model: z.string(), failure: z.string().nullable() })),
  }),
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 30 * 60_000,
});

/** One model over test items [from, to): each prediction is stored once, whoever runs it and however often. */
export const experimentShardJob = defineJob({
  name: "experiment.shard",
  queue: EXPERIMENTS_QUEUE,
  description: "Runs one model over one shard of an experiment's test items.",
  payload: z.object({
    experimentId: z.string().min(1),
    model: z.string().min(1),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
  }),
  result: z.object({
    model: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    stored: z.number().int(),
    alreadyDone: z.number().int(),
    stopped: z.enum(["cancel", "max-cost", "model-failed"]).optional(),
  }),
  attempts: 5,
  backoffMs: 2_000,
  timeoutMs: 60 * 60_000,
});

/** Runs after every shard (the flow's parent): scores the models and stores the report and recommendation. */
export const experimentFinalizeJob = defineJob({
  name: "experiment.finalize",
  queue: EXPERIMENTS_QUEUE,
  description: "Scores an experiment's models, compares the best two and stores the report.",
  payload: z.object({
    experimentId: z.string().min(1),
    registration: experimentRegistrationSchema.optional(),
  }),
  result: z.object({
    experimentId: z.string(),
    status: z.string(),
    recommended: z.string().nullable(),
    tracking: z.string().optional().describe("logged | kept_locally | disabled"),
    registered: z
      .array(
        z.object({
          model: z.string(),
          status: z.string(),
          version: z.string().optional(),
          alias: z.string().optional(),
        }),
      )
      .optional(),
  }),
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 30 * 60_000,
});
