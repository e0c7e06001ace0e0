/**
 * The model-based test of the command path, long and unseeded: each run tries new sequences. A failure
 * prints fast-check's seed and the shrunk sequence; pass the seed to runModel to replay it.
 */
import { runModel } from "../support/command-path-model";

describe("the command path against its reference model (long run)", () => {
  it("keeps every promise over 600 random sequences of up to 30 steps", async () => {
    await runModel({ runs: 600, maxSteps: 30 });
  }, 900_000);
});
