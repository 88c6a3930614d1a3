export type { AppDatabase, Database, DatabaseKind } from "./database";
export { DbError, type DbErrorCode } from "./db-error";
export { MIGRATIONS_FOLDER } from "./migrations-folder";
export { type OpenDatabaseOptions, openDatabase } from "./open-database";
