import { LakehouseError } from "../errors";

/** Catalog names DuckDB keeps for itself; Unity Catalog's default catalog is `main`. */
const RESERVED = new Set(["main", "system", "temp", "memory"]);
const PREFIX = "uc_";

/** The DuckDB database alias for a Unity Catalog catalog: reserved names get a prefix. */
export function catalogAlias(catalog: string): string {
  return RESERVED.has(catalog) ? `${PREFIX}${catalog}` : catalog;
}

/** The Unity Catalog name for a DuckDB alias, or `undefined` for DuckDB's own databases. */
export function catalogFromAlias(alias: string): string | undefined {
  if (RESERVED.has(alias)) return undefined;
  if (alias.startsWith(PREFIX) && RESERVED.has(alias.slice(PREFIX.length))) return alias.slice(PREFIX.length);
  return alias;
}

/** Catalogs double as file names, so they are plain identifiers. */
export function checkCatalogName(catalog: string): string {
  const aliasClash = catalog.startsWith(PREFIX) && RESERVED.has(catalog.slice(PREFIX.length));
  if (!/^[a-z_][a-z0-9_]{0,99}$/.test(catalog) || aliasClash) {
    throw new LakehouseError("LAKEHOUSE_INVALID_NAME", `Invalid DuckDB catalog name ${JSON.stringify(catalog)}`, {
      hint: "Catalogs are files here: use letters, digits and underscores, starting with a letter.",
      context: { catalog },
    });
  }
  return catalog;
}
