import { invalidParameter } from "../errors/mlflow-error";
import type { FilterClause, FilterEntity, OrderClause } from "./search-filter";

/** Collects `$n` parameters while a query is built. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(", ");
  }
}

export interface AttributeColumn {
  column: string;
  type: "string" | "number";
}

/** Key-value side tables (tags, params, latest metrics) joined to the searched entity, aliased `x` in `join`. */
export interface SideTable {
  table: string;
  /** Condition tying a side-table row `x` to the entity row `e`. */
  join: string;
  type: "string" | "number";
}

export interface SearchTarget {
  /** What the entity is called in error messages. */
  what: string;
  attributes: Record<string, AttributeColumn>;
  sides: Partial<Record<FilterEntity, SideTable>>;
}

function condition(column: string, type: "string" | "number", clause: FilterClause, params: SqlParams): string {
  const { op, value } = clause;
  if (type === "number") {
    if (typeof value !== "number") {
      throw invalidParameter(`Expected numeric value type for ${clause.entity} '${clause.key}', got '${value}'.`);
    }
    if (!["=", "!=", ">", ">=", "<", "<="].includes(op)) {
      throw invalidParameter(`Invalid comparator '${op}' for numeric ${clause.entity} '${clause.key}'.`);
    }
    return `${column} ${op === "!=" ? "<>" : op} ${params.add(value)}`;
  }
  if (op === "IN" || op === "NOT IN") {
    if (!Array.isArray(value)) throw invalidParameter(`${op} needs a list of values for '${clause.key}'.`);
    return `${column} ${op} (${params.list(value)})`;
  }
  if (Array.isArray(value)) throw invalidParameter(`Invalid comparator '${op}' with a list for '${clause.key}'.`);
  if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) {
    throw invalidParameter(`Invalid comparator '${op}' for string ${clause.entity} '${clause.key}'.`);
  }
  return `${column} ${op === "!=" ? "<>" : op} ${params.add(String(value))}`;
}

/** SQL conditions (to AND together) for parsed filter clauses, over the entity row aliased `e`. */
export function compileFilter(clauses: FilterClause[], target: SearchTarget, params: SqlParams): string[] {
  return clauses.map((clause) => {
    if (clause.entity === "attribute") {
      const attribute = target.attributes[clause.key];
      if (!attribute) {
        throw invalidParameter(
          `Invalid attribute key '${clause.key}' specified. Valid keys are '${Object.keys(target.attributes).join("', '")}'`,
        );
      }
      return condition(attribute.column, attribute.type, clause, params);
    }
    const side = target.sides[clause.entity];
    if (!side) throw invalidParameter(`Filtering ${target.what} by ${clause.entity} is not supported.`);
    // EXISTS, as MLflow's SQL store joins: an entity without the key never matches, not even with !=.
    return `EXISTS (SELECT 1 FROM ${side.table} x WHERE ${side.join} AND x.key = ${params.add(clause.key)} AND ${condition("x.value", side.type, clause, params)})`;
  });
}

/** ORDER BY terms for parsed clauses; entities missing the key sort last in both directions, as in MLflow. */
export function compileOrder(orders: OrderClause[], target: SearchTarget, params: SqlParams): string[] {
  return orders.map((order) => {
    const direction = order.ascending ? "ASC" : "DESC";
    if (order.entity === "attribute") {
      const attribute = target.attributes[order.key];
      if (!attribute) throw invalidParameter(`Invalid order_by key '${order.key}' for ${target.what}.`);
      return `${attribute.column} ${direction} NULLS LAST`;
    }
    const side = target.sides[order.entity];
    if (!side) throw invalidParameter(`Ordering ${target.what} by ${order.entity} is not supported.`);
    return `(SELECT x.value FROM ${side.table} x WHERE ${side.join} AND x.key = ${params.add(order.key)}) ${direction} NULLS LAST`;
  });
}
