import { fileURLToPath } from "node:url";

/** The one migrations folder, applied unchanged to Postgres and PGlite. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));
