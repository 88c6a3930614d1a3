import { Redis } from "ioredis";

/**
 * A Redis connection for BullMQ. Workers and blocking commands need `maxRetriesPerRequest: null`;
 * each Queue, Worker and QueueEvents gets its own, so closing one never closes another's.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
