/** Child processes of the benchmarks and the reliability suite: started from the built code (dist/), awaited until ready, stopped. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../services/common/paths";

export const DIST = join(repoRoot(), "dist");

export interface Child {
  readonly process: ChildProcess;
  readonly output: string[];
  stop(): Promise<void>;
}

/** The audit service's signing key for a process started here: one Ed25519 key kept in the data directory. */
export function ledgerKeyEnv(dataDir: string): { PASSERELLE_LEDGER_KEY_FILE: string } {
  const path = join(dataDir, "ledger-key.pem");
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  return { PASSERELLE_LEDGER_KEY_FILE: path };
}

/**
 * Every child is started with exit-with-parent.js preloaded and an IPC channel: a test that fails before stopping
 * one would otherwise leave it running, keeping Jest from exiting and CI waiting until its time limit. The
 * reliability suite runs with --forceExit; its children see the channel close and exit.
 */
const EXIT_WITH_PARENT = join(repoRoot(), "test", "support", "exit-with-parent.js");

export function start(script: string, args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--require", EXIT_WITH_PARENT, join(DIST, script), ...args], {
    env: { ...process.env, PASSERELLE_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls `url` until it answers 200; fails with the child's output if it exits or the time runs out. */
export async function ready(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${url}: process exited:\n${child.output.join("")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s:\n${child.output.join("")}`);
}

/** Waits for a line of the child's standard output matching `pattern`; returns the match. */
export async function line(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(child.output.join(""));
    if (match) return match;
    if (child.process.exitCode !== null) throw new Error(`process exited:\n${child.output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${pattern} after ${timeoutMs / 1000} s:\n${child.output.join("")}`);
}

/**
 * A signed development token, made by the built code in a child process: jose is ESM-only, which Jest's
 * CommonJS runtime cannot load (Node itself can).
 */
export function issueTestToken(secret: string, actor: string, roles: readonly string[]): string {
  const script = `require(${JSON.stringify(join(DIST, "services", "common", "auth.js"))}).issueToken(process.argv[1], { actor: process.argv[2], roles: JSON.parse(process.argv[3]) }).then((t) => process.stdout.write(t))`;
  return execFileSync(process.execPath, ["-e", script, secret, actor, JSON.stringify(roles)], { encoding: "utf8" });
}
