/**
 * The smallest interface to the app database that engines need (the built-in MLflow server's store, for one):
 * parameterised SQL with `$1, $2…` placeholders, and transactions. `@mlops/db/client` implements it for
 * Postgres and PGlite, so engines never import the database package.
 */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
