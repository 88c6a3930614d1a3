import { createRandom, shuffleInPlace } from "@mlops/llm";

/** Where each row goes: `testIndex[i]` is the row's position among the test items (shuffled), or -1 for train. */
export interface SplitPlan {
  testIndex: Int32Array;
  trainCount: number;
  testCount: number;
}

/**
 * A seeded, stratified train/test split: within each label, a seeded shuffle sends `round(n · testFraction)` rows
 * to the test set (at least one when a label has two or more rows). Test rows get a shuffled order, so taking the
 * first N test items is a random, reproducible subset.
 */
export function planSplit(labels: readonly string[], testFraction: number, seed: number): SplitPlan {
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const random = createRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(i);
    else byLabel.set(label, [i]);
  });
  const isTest = new Uint8Array(labels.length);
  for (const label of [...byLabel.keys()].sort()) {
    const rows = byLabel.get(label)!;
    shuffleInPlace(rows, random);
    let take = Math.round(rows.length * testFraction);
    if (rows.length >= 2) take = Math.min(rows.length - 1, Math.max(1, take));
    for (let k = 0; k < take; k++) isTest[rows[k]!] = 1;
  }
  return orderTestRows(isTest, random);
}

/** Every row is a test row (a separate training file was given), in a seeded shuffled order. */
export function planAllTest(count: number, seed: number): SplitPlan {
  return orderTestRows(new Uint8Array(count).fill(1), createRandom(seed));
}

function orderTestRows(isTest: Uint8Array, random: () => number): SplitPlan {
  let testCount = 0;
  for (const flag of isTest) testCount += flag;
  const order = new Int32Array(testCount);
  for (let i = 0; i < testCount; i++) order[i] = i;
  shuffleInPlace(order, random);
  const testIndex = new Int32Array(isTest.length).fill(-1);
  let next = 0;
  for (let i = 0; i < isTest.length; i++) if (isTest[i]) testIndex[i] = order[next++]!;
  return { testIndex, trainCount: isTest.length - testCount, testCount };
}
