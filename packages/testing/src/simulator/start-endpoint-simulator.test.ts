import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SIMULATOR_LABELS, simulatedTruth } from "./simulated-labels";
import { parseSimulatorArgs, runEndpointSimulatorCli } from "./simulator-cli";
import {
  type EndpointSimulator,
  type EndpointSimulatorOptions,
  startEndpointSimulator,
} from "./start-endpoint-simulator";

interface CompletionBody {
  id: string;
  object: string;
  model: string;
  choices: Array<{ message: { content: string } }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

const running: EndpointSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: EndpointSimulatorOptions) {
  const simulator = await startEndpointSimulator(options);
  running.push(simulator);
  return simulator;
}

function chat(simulator: EndpointSimulator, content: string, model = "databricks-gpt-oss-20b") {
  return fetch(`${simulator.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model,
      messages: [
        { role: "system", content: "Classify the article. Answer JSON with category and sentiment." },
        { role: "user", content: `Article:\n${content}\nAnswer:` },
      ],
    }),
  });
}

async function answer(simulator: EndpointSimulator, content: string) {
  const response = await chat(simulator, content);
  const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  return JSON.parse(body.choices[0]!.message.content) as { category: string; sentiment: string };
}

const items = Array.from({ length: 400 }, (_, i) => ({
  text: `Article number ${i}: ${i % 2 ? "the striker scored twice" : "shares fell sharply"} in week ${i * 7}.`,
  label: {
    category: DEFAULT_SIMULATOR_LABELS.category[i % 5]!,
    sentiment: DEFAULT_SIMULATOR_LABELS.sentiment[i % 3]!,
  },
}));

describe("startEndpointSimulator", () => {
  it("answers an OpenAI chat completion, marked as simulated, with usage, a unique id and the model echoed", async () => {
    const simulator = await start({ seed: 1 });
    const first = await chat(simulator, "A quiet day on the markets.");
    const second = await chat(simulator, "A quiet day on the markets.");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-simulated")).toBe("true");
    const a = (await first.json()) as CompletionBody;
    const b = (await second.json()) as CompletionBody;
    expect(a.object).toBe("chat.completion");
    expect(a.model).toBe("databricks-gpt-oss-20b");
    expect(a.id).not.toBe(b.id);
    expect(a.usage.prompt_tokens).toBeGreaterThan(10);
    expect(a.usage.total_tokens).toBe(a.usage.prompt_tokens + a.usage.completion_tokens);
    const content = JSON.parse(a.choices[0]!.message.content);
    expect(DEFAULT_SIMULATOR_LABELS.category).toContain(content.category);
    expect(DEFAULT_SIMULATOR_LABELS.sentiment).toContain(content.sentiment);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);

    const models = await fetch(`${simulator.baseUrl}/models`);
    expect(models.headers.get("x-simulated")).toBe("true");
    const list = (await models.json()) as { data: Array<{ id: string; simulated: boolean; description: string }> };
    expect(list.data[0]).toMatchObject({ id: "simulated-classifier", simulated: true });
    expect(list.data[0]!.description).toContain("SIMULATED");
  });

  it("is right with the given accuracy against registered truth, the same way every time for a seed", async () => {
    const simulator = await start({ accuracy: 0.8, seed: 7 });
    const registered = await fetch(`${simulator.url}/sim/truth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items }),
    });
    expect(await registered.json()).toEqual({ registered: 400, total: 400 });
    const answers = [];
    for (const item of items) answers.push(await answer(simulator, item.text));
    const accuracy = answers.filter((a, i) => a.category === items[i]!.label.category).length / items.length;
    expect(accuracy).toBeGreaterThan(0.74);
    expect(accuracy).toBeLessThan(0.86);
    const stats = simulator.stats();
    expect(stats).toMatchObject({ requests: 400, completed: 400, truthKnown: 400, truthUnknown: 0 });
    expect(stats.correct.category).toBe(Math.round(accuracy * 400));

    const again = await answer(simulator, items[3]!.text);
    expect(again).toEqual(answers[3]);
    const otherSeed = await start({ accuracy: 0.8, seed: 8, truth: items });
    const otherAnswers = [];
    for (const item of items.slice(0, 60)) otherAnswers.push(await answer(otherSeed, item.text));
    expect(otherAnswers).not.toEqual(answers.slice(0, 60));
  }, 20_000);

  it("judges unregistered prompts against the hashed truth of the last user message", async () => {
    const simulator = await start({ accuracy: 1 });
    const text = "An item nobody registered.";
    const response = await fetch(`${simulator.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
    });
    const body = (await response.json()) as { model: string; choices: Array<{ message: { content: string } }> };
    expect(JSON.parse(body.choices[0]!.message.content)).toEqual(simulatedTruth(text));
    expect(body.model).toBe("simulated-classifier");
    expect(simulator.stats().truthUnknown).toBe(1);
  });

  it("answers 429 with Retry-After above its rate, 500 at its error rate, after its latency", async () => {
    const limited = await start({ rps: 5 });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(limited, `item ${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(Number(refused.headers.get("retry-after-ms"))).toBeGreaterThan(0);
    expect(refused.headers.get("x-simulated")).toBe("true");
    expect(limited.stats()).toMatchObject({ requests: 20, completed: 5, rateLimited: 15 });

    const failing = await start({ errorRate: 0.3, seed: 3 });
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => chat(failing, `x ${i}`)));
    const errors = results.filter((r) => r.status === 500).length;
    expect(errors).toBeGreaterThan(60);
    expect(errors).toBeLessThan(120);
    expect(failing.stats()).toMatchObject({ requests: 300, serverErrors: errors, completed: 300 - errors });

    const slow = await start({ latencyMs: 150 });
    const started = Date.now();
    expect((await chat(slow, "slow")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("refuses malformed and streaming requests with 400, unknown routes with 404", async () => {
    const simulator = await start({});
    const bad = await fetch(`${simulator.baseUrl}/chat/completions`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    const stream = await fetch(`${simulator.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(stream.status).toBe(400);
    expect((await fetch(`${simulator.url}/elsewhere`)).status).toBe(404);
    expect(simulator.stats().badRequests).toBe(2);
  });
});

describe("simulator CLI", () => {
  it("parses `mlops sim serve` flags and rejects bad values", () => {
    expect(
      parseSimulatorArgs([
        "--port",
        "0",
        "--latency-ms",
        "20",
        "--rps",
        "10",
        "--accuracy",
        "0.85",
        "--error-rate",
        "0.01",
      ]),
    ).toMatchObject({ port: 0, latencyMs: 20, rps: 10, accuracy: 0.85, errorRate: 0.01 });
    expect(parseSimulatorArgs(["--categories", "a, b"]).labels).toEqual({ category: ["a", "b"], sentiment: undefined });
    expect(() => parseSimulatorArgs(["--accuracy", "1.5"])).toThrow("--accuracy must be a number from 0 to 1");
    expect(() => parseSimulatorArgs(["--rps", "fast"])).toThrow("--rps");
    expect(() => parseSimulatorArgs(["--bogus"])).toThrow();
  });

  it("starts a server and says it is a simulator", async () => {
    const lines: string[] = [];
    const simulator = await runEndpointSimulatorCli(["--port", "0", "--accuracy", "0.7"], {
      stdout: (l) => lines.push(l),
    });
    running.push(simulator);
    expect(lines[0]).toContain(`SIMULATOR listening on ${simulator.baseUrl}`);
    expect((await fetch(`${simulator.baseUrl}/models`)).status).toBe(200);
  });
});
