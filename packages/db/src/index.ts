export type { AppDatabase, Database, DatabaseKind } from "./client/database";
export * from "./schema";
