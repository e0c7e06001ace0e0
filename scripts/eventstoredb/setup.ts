/**
 * `node dist/scripts/eventstoredb/setup.js`: the compose file's one-shot `eventstore-setup` service. Once every
 * node is live, it applies `access.ts` to the store, signed in as `admin`, before the subgraphs start:
 *
 *   - `ops` and `passerelle` get their passwords from the environment and their groups (created if missing);
 *   - the default ACL (`$settings`) and `$all`'s ACL (`$$$all`).
 *
 * Idempotent, so it runs on every `docker compose up`: it writes only what differs. Users go over the HTTP API
 * (@eventstore/db-client 6 has no users API); ACLs over gRPC, since the streams' HTTP API (AtomPub) is off on the
 * nodes and stays off. Everything over TLS, checked against the store's CA.
 */
import { request } from "node:https";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { BACKWARDS, END, EventStoreDBClient, StreamNotFoundError, jsonEvent } from "@eventstore/db-client";
import {
  ALL_STREAM_ACL,
  DEFAULT_ACL,
  STORE_USERS,
  setupSettings,
  type SetupSettings,
  type StoreEndpoint,
  type StoreUser,
} from "./access";

/** How long the nodes of a cluster (not awaited by the compose file) get to come up. */
const LIVE_TIMEOUT_MS = 300_000;

interface Answer {
  readonly status: number;
  readonly body: string;
}

class Http {
  private readonly ca: Buffer;
  constructor(
    private readonly settings: SetupSettings,
    private readonly node: StoreEndpoint,
  ) {
    this.ca = readFileSync(settings.caFile);
  }

  /** One request to the node, as `admin` unless other credentials are given. */
  call(method: string, path: string, body?: unknown, auth = `admin:${this.settings.adminPassword}`): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.node.address,
          port: this.node.port,
          method,
          path,
          ca: this.ca,
          auth,
          headers: { "content-type": "application/json", accept: "application/json" },
          timeout: 10_000,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on("error", reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** The answer, if 2xx; an error naming what failed otherwise (401: the admin password, said plainly). */
  async expect(what: string, method: string, path: string, body?: unknown): Promise<Answer> {
    return this.check(what, method, path, await this.call(method, path, body));
  }

  check(what: string, method: string, path: string, answer: Answer): Answer {
    if (answer.status === 401) {
      throw new Error(
        `${what}: the store refused EVENTSTORE_ADMIN_PASSWORD for admin. The nodes set it on their first start ` +
          "only: if the store was started before with another one (the server's default is changeit), reset it " +
          "with that one (see the README, Deployment)",
      );
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new Error(`${what}: ${method} ${path} answered ${answer.status} ${answer.body.slice(0, 300)}`);
    }
    return answer;
  }
}

async function waitUntilLive(settings: SetupSettings, node: StoreEndpoint): Promise<void> {
  const http = new Http(settings, node);
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const answer = await http.call("GET", "/health/live");
      if (answer.status === 204) return;
      last = `answered ${answer.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`${node.address}:${node.port} not live after ${LIVE_TIMEOUT_MS / 1000} s (${last})`);
}

async function keepUser(http: Http, user: StoreUser, password: string): Promise<void> {
  const path = `/users/${encodeURIComponent(user.login)}`;
  const found = await http.call("GET", path);
  if (found.status === 404) {
    await http.expect(`creating ${user.login}`, "POST", "/users", {
      loginName: user.login,
      fullName: user.fullName,
      groups: user.groups,
      password,
    });
    process.stdout.write(`created user ${user.login}\n`);
    return;
  }
  const details = http.check(`reading ${user.login}`, "GET", path, found);
  const groups = (JSON.parse(details.body) as { data?: { groups?: unknown } }).data?.groups;
  if (!isDeepStrictEqual(groups, user.groups)) {
    await http.expect(`setting ${user.login}'s groups`, "PUT", path, { fullName: user.fullName, groups: user.groups });
    process.stdout.write(`set ${user.login}'s groups to ${JSON.stringify(user.groups)}\n`);
  }
  // Its own sign-in tells whether the password is already the one in the environment.
  const self = await http.call("GET", "/users/$current", undefined, `${user.login}:${password}`);
  if (self.status !== 200) {
    await http.expect(`setting ${user.login}'s password`, "POST", `${path}/command/reset-password`, {
      newPassword: password,
    });
    process.stdout.write(`set ${user.login}'s password\n`);
  }
}

async function keepAcls(settings: SetupSettings): Promise<void> {
  const tls = { rootCertificate: readFileSync(settings.caFile) };
  const admin = { username: "admin", password: settings.adminPassword };
  // One node: straight to it. Several: through gossip, to the leader.
  const client =
    settings.hosts.length === 1
      ? new EventStoreDBClient({ endpoint: settings.hosts[0]! }, tls, admin)
      : new EventStoreDBClient({ endpoints: [...settings.hosts] }, tls, admin);
  try {
    let current: unknown;
    try {
      for await (const resolved of client.readStream("$settings", {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        current = resolved.event?.data;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    if (!isDeepStrictEqual(current, DEFAULT_ACL)) {
      await client.appendToStream("$settings", jsonEvent({ type: "$settings", data: DEFAULT_ACL }));
      process.stdout.write("set the default ACL ($settings)\n");
    }
    const { metadata } = await client.getStreamMetadata("$all");
    if (!isDeepStrictEqual(metadata?.acl, ALL_STREAM_ACL)) {
      await client.setStreamMetadata("$all", { ...metadata, acl: ALL_STREAM_ACL });
      process.stdout.write("set $all's ACL ($$$all)\n");
    }
  } finally {
    await client.dispose();
  }
}

async function main(): Promise<void> {
  const settings = setupSettings(process.env);
  for (const node of settings.hosts) await waitUntilLive(settings, node);
  // A follower forwards the users API to the leader.
  const http = new Http(settings, settings.hosts[0]!);
  for (const user of STORE_USERS) await keepUser(http, user, settings.passwords.get(user.login)!);
  await keepAcls(settings).catch((error: unknown) => {
    throw new Error(`setting the ACLs over gRPC: ${error instanceof Error ? error.message : String(error)}`);
  });
  process.stdout.write("EventStoreDB users and ACLs are as declared\n");
}

// Exits once done, whatever handle the clients leave: the subgraphs wait for this one-shot to complete.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
