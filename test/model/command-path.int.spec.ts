/**
 * The model-based test of the command path, short and seeded so `npm test` is repeatable: 200 sequences.
 * The reliability suite runs a long, unseeded one (test/reliability/command-path.reliability.ts).
 */
import { runModel } from "../support/command-path-model";

describe("the command path against its reference model", () => {
  it("keeps every promise over 200 random sequences of commands, retries, races, unknown events and restarts", async () => {
    await runModel({ runs: 200, maxSteps: 20, seed: 20261201 });
  }, 600_000);
});
