export { createTestDatabase, TEST_DRIVERS, type TestDatabase, type TestDriver } from "./database";
export { type FakeSlack, signSlackRequest, startFakeSlack } from "./fake-slack";
export { createTestPostgresDatabase, TEST_POSTGRES_ADMIN_URL, type TestPostgresDatabase } from "./postgres";
export { cleanRedisPrefix, TEST_REDIS_URL, uniquePrefix } from "./redis";
export * from "./simulator";
