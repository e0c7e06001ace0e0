/**
 * `npm start`: the whole system on one machine. Imports the demo data through the command handler
 * (idempotent), starts the three subgraphs and the gateway as their own processes, waits until every read
 * model has caught up, then prints the gateway URL and one development token per role. Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { keyIdOf } from "../events/transparency/tree-head";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEventStore } from "../events/open-event-store";
import { demoDataPath, readDataset } from "./demo-data/commands";
import { importDemoData } from "./demo-data/import";
import { ROLES, issueToken } from "../services/common/auth";
import {
  ConfigError,
  EnvReader,
  ledgerKeyPath,
  oidcConfig,
  personalDataFiles,
  storageConfig,
  type StorageConfig,
} from "../services/common/config";
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { GATEWAY_PORT, SERVICE_PORTS } from "../services/common/ports";
import { ownerOnly } from "../services/common/paths";

const SERVICES = Object.keys(SERVICE_PORTS) as Array<keyof typeof SERVICE_PORTS>;

/** The secret tokens are signed with: from the environment, or one kept in the data directory for development. */
function jwtSecret(dataDir: string): { secret: string; generated: boolean } {
  if (process.env.PASSERELLE_JWT_SECRET) return { secret: process.env.PASSERELLE_JWT_SECRET, generated: false };
  const path = join(dataDir, "dev-jwt-secret");
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600 });
  return { secret: readFileSync(path, "utf8").trim(), generated: true };
}

/**
 * One development token per role, and an editor for chu-limoges only. The editors' institutions ride in their
 * tokens, not in grants: nothing of them stays in the ledger for a provider's subject of the same name to
 * inherit once sign-on is configured.
 */
async function developmentTokens(secret: string): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  const every = { network: true, institutions: [] };
  for (const role of ROLES) {
    const identity = { actor: `dev-${role}`, roles: [role], ...(role === "editor" ? { access: every } : {}) };
    tokens[role] = await issueToken(secret, identity);
  }
  tokens.limogesEditor = await issueToken(secret, {
    actor: "dev-limoges-editor",
    roles: ["editor"],
    access: { network: false, institutions: ["chu-limoges"] },
  });
  return tokens;
}

/**
 * The Ed25519 key tree heads are signed with: PASSERELLE_LEDGER_KEY_FILE, or one made once and kept in the data
 * directory for development (never in the repository: data/ is ignored).
 */
function ledgerKeyFile(storage: StorageConfig): { path: string; keyId: string; generated: boolean } {
  const configured = process.env.PASSERELLE_LEDGER_KEY_FILE;
  const path = ledgerKeyPath(storage);
  if (!configured && !existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  return { path, keyId: keyIdOf(createPrivateKey(readFileSync(path))), generated: !configured };
}

/** The processes started, and stopping them all: also on a failed start, so none is left behind. */
const children: ChildProcess[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  process.exit(code);
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error(`${url}: stopping`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const storage = storageConfig();
  const reader = new EnvReader(process.env);
  const gatewayPort = reader.port("PASSERELLE_GATEWAY_PORT", GATEWAY_PORT);
  const ports = Object.fromEntries(
    SERVICES.map((name) => [name, reader.port(`PASSERELLE_${name.toUpperCase()}_PORT`, SERVICE_PORTS[name])]),
  );
  const readyTimeoutMs = reader.integer("PASSERELLE_READY_TIMEOUT_MS", 180_000, 1000, 3_600_000);
  // Checked here too, so a bad setting stops the start instead of making every service exit.
  const oidc = oidcConfig(reader, process.env, ROLES);
  reader.done();
  ownerOnly(storage.dataDir);
  // Development tokens only when no OpenID provider is configured (the services would refuse them).
  const dev = oidc ? undefined : jwtSecret(storage.dataDir);
  const ledgerKey = ledgerKeyFile(storage);

  const store = openEventStore(storage);
  const vault = openSqlitePersonalDataVault(personalDataFiles(storage));
  const imported = await importDemoData(store, readDataset(demoDataPath()), new Date().toISOString(), vault);
  await vault.close();
  await store.close();
  process.stdout.write(
    `Demo data: ${imported.commands} commands from ../shared/data/partnerships.json, ${imported.applied} newly applied${imported.changed ? `, ${imported.changed} changed since this data folder imported them (kept as recorded)` : ""}${imported.forgotten ? `, ${imported.forgotten} ${imported.forgotten === 1 ? "person" : "people"} forgotten since (not recorded again)` : ""} (${store.backend} event store, head ${imported.position}).\n`,
  );

  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));

  const env = {
    ...process.env,
    PASSERELLE_DATA_DIR: storage.dataDir,
    PASSERELLE_LEDGER_KEY_FILE: ledgerKey.path,
    ...(dev ? { PASSERELLE_JWT_SECRET: dev.secret } : {}),
  };
  /** Starts a process, and restarts it if it dies (at most 5 times a minute). */
  const launch = (script: string, extra: Record<string, string>): void => {
    const crashes: number[] = [];
    const spawnOnce = () => {
      const child = spawn(process.execPath, [join(__dirname, "..", "services", script)], {
        env: { ...env, ...extra },
        stdio: ["ignore", "inherit", "inherit"],
      });
      child.once("exit", (code, signal) => {
        if (stopping) return;
        const now = Date.now();
        crashes.push(now);
        while (crashes[0]! < now - 60_000) crashes.shift();
        if (crashes.length > 5) {
          process.stderr.write(`${script} keeps exiting (code ${code ?? signal}); stopping everything.\n`);
          void stopAll(1);
          return;
        }
        process.stderr.write(`${script} exited (${code ?? signal}); restarting it.\n`);
        spawnOnce();
      });
      children.push(child);
    };
    spawnOnce();
  };
  const portVariables = Object.fromEntries(
    SERVICES.map((name) => [`PASSERELLE_${name.toUpperCase()}_PORT`, String(ports[name])]),
  );
  for (const name of SERVICES) {
    launch(join(name, "main.js"), portVariables);
    await waitFor(`http://127.0.0.1:${ports[name]}/ready`, readyTimeoutMs);
  }
  const subgraphUrls = Object.fromEntries(
    SERVICES.map((name) => [`PASSERELLE_${name.toUpperCase()}_URL`, `http://127.0.0.1:${ports[name]}/graphql`]),
  );
  const tokens = dev ? await developmentTokens(dev.secret) : undefined;
  launch(join("gateway", "main.js"), {
    ...subgraphUrls,
    PASSERELLE_GATEWAY_PORT: String(gatewayPort),
    // The console's role picker: the gateway lists these to loopback clients only.
    ...(tokens ? { PASSERELLE_CONSOLE_DEV_TOKENS: JSON.stringify(tokens) } : {}),
  });
  await waitFor(`http://127.0.0.1:${gatewayPort}/ready`, readyTimeoutMs);

  const url = `http://localhost:${gatewayPort}/graphql`;
  const lines = [
    "",
    `Passerelle console: http://localhost:${gatewayPort}/ (in a browser; pick a role to sign in)`,
    `Passerelle gateway: ${url}`,
    `GraphiQL: ${url} (open it in a browser; works offline; paste a token below into its Headers tab)`,
  ];
  if (oidc) {
    lines.push(
      `Sign-on: tokens of the OpenID provider ${oidc.issuer} for the audience ${oidc.audience}, roles from its \`${oidc.rolesClaim.join(".")}\` claim (development tokens are refused).`,
    );
  } else {
    lines.push(
      `Development tokens (send as "Authorization: Bearer <token>"; ${dev!.generated ? `signed with the secret in ${join(storage.dataDir, "dev-jwt-secret")}` : "signed with PASSERELLE_JWT_SECRET"}):`,
    );
    for (const [role, token] of Object.entries(tokens!)) lines.push(`  ${role} token: ${token}`);
    lines.push("  (the editor token may write for every institution; limogesEditor only for chu-limoges)");
  }
  lines.push(
    `Ledger key (tree heads are signed with it): id ${ledgerKey.keyId}, public key at http://localhost:${gatewayPort}/.well-known/ledger-key${ledgerKey.generated ? `; private key in ${ledgerKey.path} (development)` : ""}`,
    "A service that dies is restarted. Ctrl-C stops everything.",
    "",
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
