/**
 * Starts the whole system as `npm start` does — the built `dist/scripts/start.js`, real processes — on free
 * ports and a fresh data directory, and gives the tests its gateway URL and development tokens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { repoRoot } from "../../services/common/paths";
import { tempDir } from "./temp";

/** The repository, whether this runs from sources (jest) or from dist/ (the benchmarks). */
export const ROOT = repoRoot(__dirname);
const START = join(ROOT, "dist", "scripts", "start.js");

export interface RunningSystem {
  readonly url: string;
  readonly ports: Record<"gateway" | "partnerships" | "activities" | "audit", number>;
  readonly tokens: Record<string, string>;
  readonly dataDir: string;
  readonly output: string[];
  readonly process: ChildProcess;
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startSystem(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningSystem> {
  if (!existsSync(START)) throw new Error(`${START} is missing: run \`npm run build\` first (npm test does).`);
  const dir = options.dataDir ? { path: options.dataDir, remove: () => undefined } : tempDir("passerelle-e2e-");
  const ports = {
    gateway: await freePort(),
    partnerships: await freePort(),
    activities: await freePort(),
    audit: await freePort(),
  };
  const child = spawn(process.execPath, [START], {
    cwd: ROOT,
    env: {
      ...process.env,
      PASSERELLE_DATA_DIR: dir.path,
      PASSERELLE_GATEWAY_PORT: String(ports.gateway),
      PASSERELLE_PARTNERSHIPS_PORT: String(ports.partnerships),
      PASSERELLE_ACTIVITIES_PORT: String(ports.activities),
      PASSERELLE_AUDIT_PORT: String(ports.audit),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const tokens: Record<string, string> = {};
  let url: string | undefined;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`system not up after 120 s:\n${output.join("")}`)), 120_000);
    void exited.then((code) => reject(new Error(`start exited with ${code}:\n${output.join("")}`)));
    lines.on("line", (line) => {
      output.push(`${line}\n`);
      const gateway = /^Passerelle gateway: (http\S+\/graphql)$/.exec(line);
      if (gateway) url = gateway[1];
      const token = /^\s+(\w+) token: (\S+)$/.exec(line);
      if (token) tokens[token[1]!] = token[2]!;
      if (line.includes("Ctrl-C stops everything")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill("SIGKILL");
    dir.remove();
    throw error;
  }
  return {
    url: url!.replace("localhost", "127.0.0.1"),
    ports,
    tokens,
    dataDir: dir.path,
    output,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      const code = await exited;
      if (!options.dataDir) dir.remove();
      return code;
    },
  };
}

/**
 * Stops the system and fails unless it exited 0, with the end of its output: a service that died (its stack
 * trace on stderr) or a supervisor that gave up is then in the test's failure, not only an exit code.
 */
export async function stopCleanly(system: RunningSystem): Promise<void> {
  const code = await system.stop();
  if (code !== 0) {
    throw new Error(`the system exited with ${code}; the end of its output:\n${system.output.join("").slice(-20_000)}`);
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

/** POSTs an operation to a GraphQL endpoint, as a front-end would. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: response.status, ...body };
}

/** A graphql-ws client of the gateway at `url` (its http URL): connects on first use, never retries. */
export function liveClient(url: string, connectionParams: Record<string, unknown> = {}): Client {
  return createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}
