import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMlflowClient, type MlflowClient, type MlflowClientOptions } from "../client/create-mlflow-client";
import { MlflowError } from "../errors/mlflow-error";

export interface ConformanceTarget {
  /** Options for a client of the server under test (tracking URI, token…). */
  clientOptions: MlflowClientOptions;
  stop(): Promise<void>;
}

async function expectMlflowError(promise: Promise<unknown>, code: string, status?: number) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MlflowError);
  expect((error as MlflowError).code).toBe(code);
  if (status !== undefined) expect((error as MlflowError).status).toBe(status);
}

/**
 * One suite for every MLflow server the client talks to: the built-in server on each database driver, and a real
 * MLflow server when one is given. Names carry a random prefix, so a shared server can run it repeatedly.
 */
export function describeMlflowConformance(label: string, start: () => Promise<ConformanceTarget>) {
  describe(`MLflow conformance: ${label}`, () => {
    let target: ConformanceTarget;
    let client: MlflowClient;
    let logBatchRequests = 0;
    const prefix = `conf${randomBytes(4).toString("hex")}`;

    beforeAll(async () => {
      target = await start();
      const counting: typeof fetch = (input, init) => {
        if (String(input).includes("/runs/log-batch")) logBatchRequests++;
        return fetch(input, init);
      };
      client = createMlflowClient({ ...target.clientOptions, fetch: counting });
    }, 90_000);
    afterAll(async () => target?.stop());

    let experimentId = "";
    let runId = "";

    it("creates, reads, searches and tags experiments", async () => {
      experimentId = await client.experiments.create({ name: `${prefix}-alpha`, tags: [{ key: "team", value: "a" }] });
      await client.experiments.create({ name: `${prefix}-beta` });
      const experiment = await client.experiments.get(experimentId);
      expect(experiment).toMatchObject({
        name: `${prefix}-alpha`,
        lifecycle_stage: "active",
        tags: [{ key: "team", value: "a" }],
      });
      expect(experiment.artifact_location).not.toBe("");
      expect((await client.experiments.getByName(`${prefix}-alpha`))?.experiment_id).toBe(experimentId);
      expect(await client.experiments.getByName(`${prefix}-missing`)).toBeUndefined();
      await expectMlflowError(client.experiments.create({ name: `${prefix}-alpha` }), "RESOURCE_ALREADY_EXISTS", 400);
      await expectMlflowError(client.experiments.get("987654321"), "RESOURCE_DOES_NOT_EXIST", 404);

      const page1 = await client.experiments.search({
        filter: `name LIKE '${prefix}-%'`,
        orderBy: ["name ASC"],
        maxResults: 1,
      });
      expect(page1.items.map((e) => e.name)).toEqual([`${prefix}-alpha`]);
      expect(page1.nextPageToken).toBeTruthy();
      const page2 = await client.experiments.search({
        filter: `name LIKE '${prefix}-%'`,
        orderBy: ["name ASC"],
        maxResults: 1,
        pageToken: page1.nextPageToken as string,
      });
      expect(page2.items.map((e) => e.name)).toEqual([`${prefix}-beta`]);
      expect(page2.items[0]?.tags).toEqual([]);
      const none = await client.experiments.search({ filter: `name = '${prefix}-nothing'` });
      expect(none).toEqual({ items: [], nextPageToken: undefined });

      await client.experiments.setTag(experimentId, "stage", "dev");
      expect((await client.experiments.get(experimentId)).tags).toContainEqual({ key: "stage", value: "dev" });
    });

    it("logs metrics, params, tags and dataset inputs to a run and reads them back", async () => {
      const run = await client.runs.create({
        experimentId,
        runName: "r-main",
        startTime: 1_700_000_000_000,
        tags: [{ key: "t0", value: "x" }],
      });
      runId = run.info.run_id;
      expect(run.info).toMatchObject({
        run_name: "r-main",
        status: "RUNNING",
        lifecycle_stage: "active",
        experiment_id: experimentId,
      });
      expect(run.info.artifact_uri).toMatch(new RegExp(`${runId}/artifacts$`));
      expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "r-main" });

      for (const [step, value] of [0.5, 1.5, 2.5].entries()) {
        await client.runs.logMetric(runId, "m", value, { timestamp: 1_700_000_001_000 + step, step });
      }
      await client.runs.logParam(runId, "p", "v");
      await client.runs.setTag(runId, "tk", "tv");
      await client.runs.setTag(runId, "gone", "soon");
      await client.runs.deleteTag(runId, "gone");
      await client.runs.logBatch(runId, {
        metrics: [{ key: "acc", value: 0.91, timestamp: 1_700_000_002_000, step: 0 }],
        params: [{ key: "lr", value: "0.01" }],
        tags: [{ key: "bt", value: "bv" }],
      });
      await client.runs.logInputs(runId, [
        {
          dataset: {
            name: "iris",
            digest: "abc123",
            source_type: "local",
            source: '{"uri": "/data/iris.csv"}',
            profile: '{"num_rows": 150}',
          },
          tags: [{ key: "mlflow.data.context", value: "training" }],
        },
      ]);
      await expectMlflowError(client.runs.logParam(runId, "p", "different"), "INVALID_PARAMETER_VALUE", 400);
      await expectMlflowError(client.runs.get("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST", 404);

      const fetched = await client.runs.get(runId);
      expect(fetched.data.metrics).toEqual(
        expect.arrayContaining([
          { key: "m", value: 2.5, timestamp: 1_700_000_001_002, step: 2 },
          { key: "acc", value: 0.91, timestamp: 1_700_000_002_000, step: 0 },
        ]),
      );
      expect(fetched.data.params).toEqual(
        expect.arrayContaining([
          { key: "p", value: "v" },
          { key: "lr", value: "0.01" },
        ]),
      );
      const tagKeys = fetched.data.tags.map((t) => t.key);
      expect(tagKeys).toEqual(expect.arrayContaining(["t0", "tk", "bt", "mlflow.runName"]));
      expect(tagKeys).not.toContain("gone");
      expect(fetched.inputs.dataset_inputs).toEqual([
        {
          tags: [{ key: "mlflow.data.context", value: "training" }],
          dataset: expect.objectContaining({ name: "iris", digest: "abc123", source_type: "local" }),
        },
      ]);
      const history = await client.runs.getMetricHistory(runId, "m");
      expect(history.map((m) => [m.step, m.value])).toEqual([
        [0, 0.5],
        [1, 1.5],
        [2, 2.5],
      ]);
    });

    it("splits a log-batch of 2,500 metrics into requests MLflow accepts", async () => {
      const run = await client.runs.create({ experimentId, runName: "r-bulk" });
      const before = logBatchRequests;
      const metrics = Array.from({ length: 2500 }, (_, i) => ({
        key: "loss",
        value: 1 / (i + 1),
        timestamp: 1_700_000_000_000 + i,
        step: i,
      }));
      const sent = await client.runs.logBatch(run.info.run_id, { metrics });
      expect(sent).toBe(3);
      expect(logBatchRequests - before).toBe(3);
      const history = await client.runs.getMetricHistory(run.info.run_id, "loss");
      expect(history).toHaveLength(2500);
      expect((await client.runs.get(run.info.run_id)).data.metrics).toEqual([
        { key: "loss", value: 1 / 2500, timestamp: 1_700_000_002_499, step: 2499 },
      ]);
    });

    it("searches runs with MLflow's filter grammar, order_by and pages, and updates, deletes and restores runs", async () => {
      const aux = async (name: string, m: number, p: string) => {
        const run = await client.runs.create({ experimentId, runName: name });
        await client.runs.logBatch(run.info.run_id, {
          metrics: [{ key: "m", value: m, timestamp: 1, step: 0 }],
          params: [{ key: "p", value: p }],
        });
        return run.info.run_id;
      };
      const high = await aux("r-aux-1", 3, "v");
      await aux("r-aux-2", 0.5, "v");
      const other = await aux("r-aux-3", 5, "w");
      const search = (pageToken?: string) =>
        client.runs.search({
          experimentIds: [experimentId],
          filter: "metrics.m > 1 and params.p = 'v'",
          orderBy: ["metrics.m DESC"],
          maxResults: 1,
          ...(pageToken ? { pageToken } : {}),
        });
      const page1 = await search();
      expect(page1.items.map((r) => r.info.run_id)).toEqual([high]);
      const page2 = await search(page1.nextPageToken);
      expect(page2.items.map((r) => r.info.run_id)).toEqual([runId]);
      const page3 = page2.nextPageToken ? await search(page2.nextPageToken) : { items: [] };
      expect(page3.items).toEqual([]);

      const byTag = await client.runs.search({ experimentIds: [experimentId], filter: "tags.tk = 'tv'" });
      expect(byTag.items.map((r) => r.info.run_id)).toEqual([runId]);
      const byName = await client.runs.search({
        experimentIds: [experimentId],
        filter: "attributes.run_name LIKE 'r-aux-%'",
        orderBy: ["attributes.run_name ASC"],
      });
      expect(byName.items.map((r) => r.info.run_name)).toEqual(["r-aux-1", "r-aux-2", "r-aux-3"]);

      const info = await client.runs.update({ runId, status: "FINISHED", endTime: 1_700_000_009_000 });
      expect(info).toMatchObject({ status: "FINISHED", end_time: 1_700_000_009_000 });
      const finished = await client.runs.search({
        experimentIds: [experimentId],
        filter: "attributes.status = 'FINISHED'",
      });
      expect(finished.items.map((r) => r.info.run_id)).toEqual([runId]);

      await client.runs.delete(other);
      expect((await client.runs.get(other)).info.lifecycle_stage).toBe("deleted");
      const active = await client.runs.search({ experimentIds: [experimentId], filter: "params.p = 'w'" });
      expect(active.items).toEqual([]);
      const deleted = await client.runs.search({ experimentIds: [experimentId], runViewType: "DELETED_ONLY" });
      expect(deleted.items.map((r) => r.info.run_id)).toEqual([other]);
      await client.runs.restore(other);
      expect((await client.runs.get(other)).info.lifecycle_stage).toBe("active");
    });

    it("uploads, lists and downloads artifacts byte for byte", async () => {
      const binary = new Uint8Array(randomBytes(200_000));
      await client.artifacts.upload(runId, "a.txt", "alpha artifact\n");
      await client.artifacts.upload(runId, "sub/dir/b.json", '{"b": 2}\n');
      await client.artifacts.upload(runId, "model/weights.bin", binary);
      expect(await client.artifacts.list(runId)).toEqual([
        { path: "a.txt", is_dir: false, file_size: 15 },
        { path: "model", is_dir: true },
        { path: "sub", is_dir: true },
      ]);
      expect(await client.artifacts.list(runId, "sub/dir")).toEqual([
        { path: "sub/dir/b.json", is_dir: false, file_size: 9 },
      ]);
      expect(await client.artifacts.list(runId, "nope")).toEqual([]);
      expect(Buffer.from(await client.artifacts.download(runId, "a.txt")).toString()).toBe("alpha artifact\n");
      expect(Buffer.from(await client.artifacts.download(runId, "model/weights.bin")).equals(Buffer.from(binary))).toBe(
        true,
      );
      await expectMlflowError(client.artifacts.download(runId, "nope.txt"), "INTERNAL_ERROR", 500);
    });

    it("manages registered models, versions, tags and aliases (Unity Catalog style names pass through)", async () => {
      const name = `${prefix}.schema.model`;
      const created = await client.registeredModels.create({
        name,
        description: "first",
        tags: [{ key: "owner", value: "me" }],
      });
      expect(created).toMatchObject({
        name,
        description: "first",
        tags: [{ key: "owner", value: "me" }],
        latest_versions: [],
      });
      await expectMlflowError(client.registeredModels.create({ name }), "RESOURCE_ALREADY_EXISTS", 400);
      await expectMlflowError(client.registeredModels.get(`${prefix}.missing`), "RESOURCE_DOES_NOT_EXIST", 404);
      const found = await client.registeredModels.search({ filter: `name LIKE '${prefix}%'` });
      expect(found.items.map((m) => m.name)).toEqual([name]);
      expect((await client.registeredModels.update({ name, description: "updated" })).description).toBe("updated");
      await client.registeredModels.setTag(name, "k", "v");

      const v1 = await client.modelVersions.create({
        name,
        source: `runs:/${runId}/model`,
        runId,
        description: "v1",
        tags: [{ key: "vt", value: "1" }],
      });
      expect(v1).toMatchObject({
        name,
        version: "1",
        current_stage: "None",
        status: "READY",
        run_id: runId,
        tags: [{ key: "vt", value: "1" }],
      });
      const v2 = await client.modelVersions.create({ name, source: `runs:/${runId}/model`, runId });
      expect(v2.version).toBe("2");
      expect((await client.modelVersions.get(name, "1")).description).toBe("v1");
      const versions = await client.modelVersions.search({ filter: `name='${name}'`, maxResults: 1 });
      expect(versions.items).toHaveLength(1);
      expect(versions.nextPageToken).toBeTruthy();
      const all = await client.modelVersions.search({ filter: `name='${name}'` });
      expect(all.items.map((v) => v.version).sort()).toEqual(["1", "2"]);
      expect((await client.modelVersions.update({ name, version: "1", description: "v1 updated" })).description).toBe(
        "v1 updated",
      );
      await client.modelVersions.setTag(name, "1", "mk", "mv");
      expect(await client.modelVersions.getDownloadUri(name, "1")).toMatch(/model$/);

      const model = await client.registeredModels.get(name);
      expect(model.latest_versions.map((v) => v.version)).toEqual(["2"]);
      expect(model.tags).toEqual(
        expect.arrayContaining([
          { key: "owner", value: "me" },
          { key: "k", value: "v" },
        ]),
      );

      await client.aliases.set(name, "champion", "1");
      const champion = await client.aliases.getVersion(name, "champion");
      expect(champion).toMatchObject({ version: "1", aliases: ["champion"] });
      expect(champion.tags).toEqual(expect.arrayContaining([{ key: "mk", value: "mv" }]));
      expect((await client.registeredModels.get(name)).aliases).toEqual([{ alias: "champion", version: "1" }]);
      await client.aliases.set(name, "champion", "2");
      expect((await client.aliases.getVersion(name, "champion")).version).toBe("2");
      await client.aliases.delete(name, "champion");
      await expectMlflowError(client.aliases.getVersion(name, "champion"), "INVALID_PARAMETER_VALUE", 400);

      await client.modelVersions.delete(name, "2");
      await expectMlflowError(client.modelVersions.get(name, "2"), "RESOURCE_DOES_NOT_EXIST", 404);
      await client.registeredModels.delete(name);
      await expectMlflowError(client.registeredModels.get(name), "RESOURCE_DOES_NOT_EXIST", 404);
    });
  });
}
