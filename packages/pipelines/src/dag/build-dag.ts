import { PipelineError } from "../errors";

export interface DagNode {
  name: string;
  dependsOn: string[];
}

/**
 * Orders steps so every step comes after the steps it reads (Kahn's algorithm, ties kept in spec order).
 * @throws PipelineError `PIPELINE_CYCLE` naming the steps on the cycle.
 */
export function topologicalOrder<T extends DagNode>(nodes: readonly T[]): T[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const indegree = new Map(nodes.map((n) => [n.name, n.dependsOn.filter((d) => byName.has(d)).length]));
  const ordered: T[] = [];
  const ready = nodes.filter((n) => indegree.get(n.name) === 0);
  while (ready.length > 0) {
    const node = ready.shift()!;
    ordered.push(node);
    for (const other of nodes) {
      if (!other.dependsOn.includes(node.name)) continue;
      const left = indegree.get(other.name)! - 1;
      indegree.set(other.name, left);
      if (left === 0) ready.splice(insertAt(ready, other, nodes), 0, other);
    }
  }
  if (ordered.length < nodes.length) {
    const cycle = findCycle(nodes.filter((n) => !ordered.includes(n)));
    throw new PipelineError("PIPELINE_CYCLE", `The pipeline's tables depend on each other in a cycle: ${cycle}`, {
      hint: "A table cannot read, directly or through others, a table that reads it. Remove one of the references.",
      context: { cycle },
    });
  }
  return ordered;
}

function insertAt<T extends DagNode>(ready: T[], node: T, all: readonly T[]): number {
  const rank = all.indexOf(node);
  const at = ready.findIndex((r) => all.indexOf(r) > rank);
  return at < 0 ? ready.length : at;
}

function findCycle(rest: readonly DagNode[]): string {
  const byName = new Map(rest.map((n) => [n.name, n]));
  let current = rest[0]!;
  const path: string[] = [];
  while (!path.includes(current.name)) {
    path.push(current.name);
    const next = current.dependsOn.map((d) => byName.get(d)).find((n) => n !== undefined);
    if (!next) break;
    current = next;
  }
  const start = path.indexOf(current.name);
  return [...path.slice(Math.max(start, 0)), current.name].join(" → ");
}

/** The step and every step downstream of it, in the given (topological) order. */
export function downstreamOf<T extends DagNode>(ordered: readonly T[], from: string): T[] {
  const selected = new Set([from]);
  for (const node of ordered) if (node.dependsOn.some((d) => selected.has(d))) selected.add(node.name);
  return ordered.filter((n) => selected.has(n.name));
}
