/**
 * kill -9 of the serving process under concurrent command load, 20 rounds. Clients behave as they should:
 * a command whose answer never came is sent again, with the same command id, once the service is back.
 * Afterwards every acknowledged command is in the log exactly once, no refused command is, and the
 * service's read models (killed 20 times mid-flight) equal a fresh rebuild from the log.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { servedAndRebuilt } from "../support/dump";
import { issueTestToken, ready, start, type Child } from "../support/processes";
import { freePort } from "../support/system";
import { tempDir } from "../support/temp";

const ROUNDS = 20;
const WORKERS = 8;
const SECRET = "reliability-secret-reliability-secret";
const PARTNERSHIPS = ["crash-p0", "crash-p1", "crash-p2", "crash-p3"];

interface Command {
  readonly id: string;
  /** The mutation field, whose data is the acknowledgement. */
  readonly field: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  outcome: "pending" | "acknowledged" | "refused" | "unknown";
}

type Answer = { status: number; body: { data?: Record<string, unknown> | null; errors?: unknown[] } };

/** Sends one command; a connection that dies mid-request is an unknown outcome, as for any client. */
async function send(url: string, token: string, command: Command): Promise<void> {
  let answer: Answer;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: command.query, variables: command.variables }),
      signal: AbortSignal.timeout(20_000),
    });
    answer = { status: response.status, body: (await response.json()) as Answer["body"] };
  } catch {
    command.outcome = "unknown";
    return;
  }
  if (answer.status === 200 && answer.body.data?.[command.field]) command.outcome = "acknowledged";
  else if (answer.body.errors?.length) command.outcome = "refused";
  else throw new Error(`${command.id}: unexpected answer ${JSON.stringify(answer)}`);
}

let counter = 0;
function nextCommand(round: number, worker: number): Command {
  const n = counter++;
  const id = `crash-r${round}-w${worker}-${n}`;
  if (n % 2 === 0) {
    return {
      id,
      field: "registerInstitution",
      query: `mutation ($c: ID!, $i: ID!) { registerInstitution(commandId: $c, input: { institutionId: $i, name: "Hôpital ${n}", kind: HOSPITAL, country: "SN" }) { revision position } }`,
      variables: { c: id, i: `crash-inst-${n}` },
      outcome: "pending",
    };
  }
  // Several workers on a few partnerships: the handler's retries on concurrent writes are exercised too.
  return {
    id,
    field: "recordMilestone",
    query: `mutation ($c: ID!, $p: ID!) { recordMilestone(commandId: $c, input: { partnershipId: $p, occurredOn: "2024-05", summary: "Milestone ${n}" }) { revision position } }`,
    variables: { c: id, p: PARTNERSHIPS[n % PARTNERSHIPS.length] },
    outcome: "pending",
  };
}

test(`kill -9 under load, ${ROUNDS} rounds: acknowledged commands once each, read models equal a rebuild`, async () => {
  const data = tempDir("passerelle-crash-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const token = issueTestToken(SECRET, "reliability", ["editor"]);
  const env = {
    PASSERELLE_DATA_DIR: data.path,
    PASSERELLE_PARTNERSHIPS_PORT: String(port),
    PASSERELLE_JWT_SECRET: SECRET,
  };
  const launch = async (): Promise<Child> => {
    const child = start("services/partnerships/main.js", [], env);
    await ready(child, `http://127.0.0.1:${port}/ready`, 60_000);
    return child;
  };
  const commands: Command[] = [];
  let service: Child | undefined;
  try {
    service = await launch();
    const setup: Command[] = [
      ...["crash-a", "crash-b"].map((institution) => ({
        id: `setup-${institution}`,
        field: "registerInstitution",
        query: `mutation ($c: ID!) { registerInstitution(commandId: $c, input: { institutionId: "${institution}", name: "${institution}", kind: HOSPITAL, country: "FR" }) { revision } }`,
        variables: { c: `setup-${institution}` },
        outcome: "pending" as const,
      })),
      ...PARTNERSHIPS.map((partnership) => ({
        id: `setup-${partnership}`,
        field: "proposePartnership",
        query: `mutation ($c: ID!) { proposePartnership(commandId: $c, input: { partnershipId: "${partnership}", title: "${partnership}", scope: INTERNATIONAL, parties: ["crash-a", "crash-b"] }) { revision } }`,
        variables: { c: `setup-${partnership}` },
        outcome: "pending" as const,
      })),
    ];
    // The writer's grant: every institution (rights are scoped; see services/common/access.ts).
    const grant: Command = {
      id: "setup-access",
      field: "grantAccess",
      query: `mutation ($c: ID!) { grantAccess(commandId: $c, input: { grantee: "reliability" }) { revision } }`,
      variables: { c: "setup-access" },
      outcome: "pending",
    };
    await send(url, issueTestToken(SECRET, "reliability-admin", ["admin"]), grant);
    expect(grant.outcome).toBe("acknowledged");
    for (const command of setup) {
      await send(url, token, command);
      expect({ id: command.id, outcome: command.outcome }).toEqual({ id: command.id, outcome: "acknowledged" });
    }

    let killedUnderLoad = 0;
    let retried = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) service = await launch();
      // What a client does with an answer that never came: the same command again.
      for (const command of commands.filter((c) => c.outcome === "unknown")) {
        retried += 1;
        await send(url, token, command);
        expect({ id: command.id, outcome: command.outcome }).not.toEqual({ id: command.id, outcome: "unknown" });
      }
      let running = true;
      const workers = Array.from({ length: WORKERS }, async (_, worker) => {
        while (running) {
          const command = nextCommand(round, worker);
          commands.push(command);
          await send(url, token, command);
          if (command.outcome === "unknown") return;
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 450)));
      const inFlight = commands.filter((c) => c.outcome === "pending").length;
      if (inFlight > 0) killedUnderLoad += 1;
      service.process.kill("SIGKILL");
      await service.stop();
      running = false;
      await Promise.all(workers);
    }

    service = await launch();
    for (const command of commands.filter((c) => c.outcome === "unknown")) await send(url, token, command);
    expect(commands.filter((c) => c.outcome === "unknown" || c.outcome === "pending")).toEqual([]);
    expect(killedUnderLoad).toBeGreaterThan(ROUNDS / 2);
    const acknowledged = commands.filter((c) => c.outcome === "acknowledged");
    process.stderr.write(
      `kill -9 rounds: ${ROUNDS}, under load: ${killedUnderLoad}, acknowledged: ${acknowledged.length}, answers lost and sent again: ${retried}\n`,
    );
    // Some answers were lost to the kills, so the "sent again, appended once" path was taken.
    expect(retried).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS * 10);

    // The log: each acknowledged command's event once, nothing of a refused one, nothing unasked for.
    const log = new Database(join(data.path, "events.db"), { readonly: true });
    const counts = new Map(
      log
        .prepare<[], { command: string; n: number }>(
          "SELECT json_extract(metadata, '$.commandId') AS command, count(*) AS n FROM events GROUP BY command",
        )
        .all()
        .map((row) => [row.command, row.n]),
    );
    const head = String(log.prepare<[], { head: number }>("SELECT max(position) AS head FROM events").get()!.head);
    log.close();
    const wrong = [grant, ...setup, ...commands]
      .map((c) => ({ id: c.id, outcome: c.outcome, events: counts.get(c.id) ?? 0 }))
      .filter((c) => c.events !== (c.outcome === "acknowledged" ? 1 : 0));
    expect(wrong).toEqual([]);
    const issued = new Set([grant, ...setup, ...commands].map((c) => c.id));
    expect([...counts.keys()].filter((id) => !issued.has(id))).toEqual([]);

    // The service's read models, once caught up, equal a rebuild from zero.
    const caughtUp = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "passerelle-consistent-with": head,
      },
      body: JSON.stringify({ query: "{ partnerships(first: 1) { totalCount } }" }),
    });
    expect(caughtUp.status).toBe(200);
    await service.stop();
    const definitions = SERVICE_PROJECTIONS.partnerships;
    const store = openSqliteEventStore({ path: join(data.path, "events.db") });
    const { served, rebuilt } = await servedAndRebuilt(
      store,
      join(data.path, "read-models", "partnerships.db"),
      definitions,
    );
    expect(served).toEqual(rebuilt);
    await store.close();
  } finally {
    await service?.stop();
    data.remove();
  }
}, 900_000);
