export { defineJob, type JobDefinition } from "./catalog/define-job";
export { echoJob } from "./catalog/echo-job";
export { type ExperimentRegistration, experimentRegistrationSchema } from "./catalog/experiment-jobs";
export {
  catalogQueues,
  getJobDefinition,
  isJobName,
  JOB_CATALOG,
  type JobName,
  type JobPayload,
  type JobPayloadInput,
  type JobResult,
  parsePayload,
} from "./catalog/job-catalog";
export { type EnqueueOptions, JobProducer, type JobProducerOptions, type WaitOptions } from "./producer/job-producer";
export { isFinished, type JobRecord, toJobRecord } from "./producer/job-record";
export { QueueError, type QueueErrorCode } from "./queue-error";
export {
  checkRedis,
  describeRedisUrl,
  HOW_TO_START_REDIS,
  MIN_REDIS_VERSION,
  type RedisInfo,
} from "./redis/check-redis";
export { connectRedis } from "./redis/connect-redis";
