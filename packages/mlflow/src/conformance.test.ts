import { TEST_DRIVERS } from "@mlops/testing";
import { describeMlflowConformance } from "./test-support/mlflow-conformance";
import { startTestMlflowServer } from "./test-support/start-test-server";

// The same suite against the built-in server on each database driver, and against a real MLflow when one is given.
for (const driver of TEST_DRIVERS) {
  describeMlflowConformance(`built-in server on ${driver}`, async () => {
    const server = await startTestMlflowServer(driver);
    return { clientOptions: { trackingUri: server.url }, stop: server.stop };
  });
}

const realServer = process.env.MLFLOW_TEST_URI;
if (realServer) {
  describeMlflowConformance(`MLflow at ${realServer}`, async () => ({
    clientOptions: { trackingUri: realServer, token: process.env.MLFLOW_TEST_TOKEN },
    stop: async () => {},
  }));
}
