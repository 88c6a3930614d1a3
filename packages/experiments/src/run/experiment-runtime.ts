import { type Logger, silentLogger } from "@mlops/core";
import {
  type ChatClient,
  createChatClient,
  type EndpointRegistry,
  type RateLimiter,
  type ResponseCache,
  resolveEndpoint,
} from "@mlops/llm";
import { createLocalPredictor } from "../models/local-predictor";
import type { Task } from "../models/model-zoo";
import type { Predictor } from "../models/predictor";
import type { ExperimentStore } from "../store/experiment-store";

/** What running an experiment needs in one process: the store, the endpoints, shared limits and cache. */
export interface ExperimentRuntimeOptions {
  store: ExperimentStore;
  registry: EndpointRegistry;
  /** The Redis limiter so every worker shares each endpoint's limit. @defaultValue in-memory (this process) */
  rateLimiter?: RateLimiter;
  /** The Redis cache so a retried shard pays nothing twice. @defaultValue in-memory */
  cache?: ResponseCache | false;
  logger?: Logger;
  /** `host:pid`, stored with each prediction. */
  workerId?: string;
}

/** Per-process state of experiment runs: one chat client per endpoint, trained local models. */
export interface ExperimentRuntime extends Required<Pick<ExperimentRuntimeOptions, "store" | "registry">> {
  logger: Logger;
  workerId: string;
  chatClient(endpoint: string): ChatClient;
  localPredictor(
    experimentId: string,
    model: string,
    tasks: readonly Task[],
    options: { seed: number; labels: { category: string[]; sentiment: string[] } },
  ): Promise<Predictor>;
}

const MAX_CACHED_MODELS = 6;

export function createExperimentRuntime(options: ExperimentRuntimeOptions): ExperimentRuntime {
  const clients = new Map<string, ChatClient>();
  const models = new Map<string, Promise<Predictor>>();
  const logger = options.logger ?? silentLogger();
  return {
    store: options.store,
    registry: options.registry,
    logger,
    workerId: options.workerId ?? `pid:${process.pid}`,
    chatClient(endpoint) {
      let client = clients.get(endpoint);
      if (!client) {
        client = createChatClient({
          endpoint: resolveEndpoint(endpoint, options.registry),
          ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
          ...(options.cache !== undefined ? { cache: options.cache } : {}),
          logger,
        });
        clients.set(endpoint, client);
      }
      return client;
    },
    localPredictor(experimentId, model, tasks, trainOptions) {
      const key = `${experimentId}\u0000${model}`;
      let predictor = models.get(key);
      if (!predictor) {
        // Shards of one model in one process share one training run (deterministic, so workers agree).
        predictor = options.store
          .trainItems(experimentId)
          .then((items) => createLocalPredictor(model, tasks, items, trainOptions));
        predictor.catch(() => models.delete(key));
        models.set(key, predictor);
        if (models.size > MAX_CACHED_MODELS) models.delete(models.keys().next().value!);
      }
      return predictor;
    },
  };
}
