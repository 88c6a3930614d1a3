import { describe, expect, it } from "vitest";
import { createAdaptiveConcurrency } from "./adaptive-concurrency";

describe("createAdaptiveConcurrency", () => {
  it("never lets more than the limit run and queues the rest in order", async () => {
    const concurrency = createAdaptiveConcurrency({ max: 2 });
    const first = await concurrency.acquire();
    await concurrency.acquire();
    const order: string[] = [];
    const third = concurrency.acquire().then((p) => {
      order.push("third");
      return p;
    });
    const fourth = concurrency.acquire().then((p) => {
      order.push("fourth");
      return p;
    });
    await Promise.resolve();
    expect(concurrency.inFlight).toBe(2);
    expect(concurrency.waiting).toBe(2);
    first.release("success");
    (await third).release("success");
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
    expect(concurrency.inFlight).toBe(2);
  });

  it("halves once per burst of 429s and grows by one after a streak of successes", async () => {
    const concurrency = createAdaptiveConcurrency({ max: 8, increaseAfter: 3 });
    const permits = await Promise.all(Array.from({ length: 4 }, () => concurrency.acquire()));
    for (const permit of permits) permit.release("rate-limited");
    expect(concurrency.limit).toBe(4);
    const next = await concurrency.acquire();
    next.release("rate-limited");
    expect(concurrency.limit).toBe(2);
    for (let i = 0; i < 3; i++) (await concurrency.acquire()).release("success");
    expect(concurrency.limit).toBe(3);
    for (let i = 0; i < 100; i++) (await concurrency.acquire()).release("success");
    expect(concurrency.limit).toBe(8);
    for (let i = 0; i < 10; i++) (await concurrency.acquire()).release("rate-limited");
    expect(concurrency.limit).toBe(1);
  });

  it("drops a waiter whose signal aborts", async () => {
    const concurrency = createAdaptiveConcurrency({ max: 1 });
    const held = await concurrency.acquire();
    const controller = new AbortController();
    const waiting = concurrency.acquire(controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(concurrency.waiting).toBe(0);
    held.release("failure");
    expect(concurrency.inFlight).toBe(0);
  });
});
