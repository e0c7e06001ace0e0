/**
 * An auditor's verifier for Passerelle's ledger, trusting nothing but the ledger's public key.
 *
 *   npm run audit -- verify --url <gateway>/graphql --key ledger-key.pem --state auditor-state.json
 *                           [--token <bearer token>] [--export ledger.jsonl [--sample N | --all]]
 *
 * It fetches the latest signed tree head and checks its signature; checks that it extends the last head this
 * auditor accepted (kept in --state) by a consistency proof; checks inclusion proofs for events of an export
 * (a sample, or all of them) against it; and only then keeps the new head. Exit 0 when every check holds, 1 with
 * the first broken one, 2 on a usage error, 3 when the checks could not be made (the ledger unreachable).
 *
 * Written from RFC 9162 (sections 2.1.3.2 and 2.1.4.2) and RFC 6962 (section 3.5), apart from the server's code
 * and importing nothing of it — only Node's own modules — so it can be copied and run anywhere Node 20 runs
 * (the compiled dist/scripts/auditor/verify-ledger.js is one file).
 */
import { createHash, createPublicKey, randomInt, verify, type KeyObject } from "node:crypto";
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

// ---- RFC 9162 hashing and proof verification ----

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export const hashLeaf = (input: Uint8Array): Buffer => sha256(Uint8Array.of(0), input);
export const hashChildren = (left: Uint8Array, right: Uint8Array): Buffer => sha256(Uint8Array.of(1), left, right);

/** MTH(D[n]) of leaf hashes, straight from the definition (RFC 9162 2.1.1). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** RFC 9162 2.1.3.2: does `path` lead from leaf `index` of a tree of `size` to `root`? */
export function verifyInclusion(index: number, size: number, leaf: Buffer, path: readonly Buffer[], root: Buffer) {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: is the tree of `second` leaves with `secondRoot` an extension of `first` with `firstRoot`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (first < 0 || first > second) return false;
  // The trivial cases the RFC leaves to the client: an empty tree is extended by every tree, a tree by itself.
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

// ---- Leaves: an exported event's canonical JSON (RFC 8785 for plain JSON values) ----

export function canonicalize(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalize(object[key])}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("not JSON: a non-finite number");
  return JSON.stringify(value);
}

/** The leaf hash of one line of `npm run replay -- export --format jsonl`: the event exactly as stored. */
export const leafOfExportLine = (line: string): Buffer =>
  hashLeaf(Buffer.from(canonicalize(JSON.parse(line) as unknown), "utf8"));

// ---- Signed tree heads (RFC 6962 3.5 TreeHeadSignature, signed with Ed25519) ----

export interface SignedHead {
  readonly treeSize: number;
  readonly timestamp: number;
  readonly rootHash: string;
  readonly keyId: string;
  readonly signature: string;
}

export const keyIdOf = (publicKey: KeyObject): string =>
  sha256(publicKey.export({ type: "spki", format: "der" })).toString("hex");

export function headBytes(head: SignedHead): Buffer {
  const bytes = Buffer.alloc(50);
  bytes[0] = 0; // version v1
  bytes[1] = 1; // signature_type tree_hash
  bytes.writeBigUInt64BE(BigInt(head.timestamp), 2);
  bytes.writeBigUInt64BE(BigInt(head.treeSize), 10);
  const root = Buffer.from(head.rootHash, "hex");
  if (root.length !== 32) throw new RangeError("root hash is not 32 bytes");
  root.copy(bytes, 18);
  return bytes;
}

/** Why a head is not one the key signed, or null when it is. */
export function headProblem(publicKey: KeyObject, head: SignedHead): string | null {
  if (head.keyId !== keyIdOf(publicKey)) {
    return `the head names key ${head.keyId}, not the ledger key ${keyIdOf(publicKey)}`;
  }
  if (!/^[0-9a-f]{64}$/.test(head.rootHash)) return "the head's root hash is not 32 bytes of hex";
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return "the head's tree size is not a count";
  if (!Number.isSafeInteger(head.timestamp) || head.timestamp < 0) return "the head's timestamp is not a time";
  const ok = verify(null, headBytes(head), publicKey, Buffer.from(head.signature, "base64"));
  return ok ? null : "the head's signature does not verify with the ledger key";
}

// ---- The ledger's answers ----

export interface Ledger {
  latestHead(): Promise<SignedHead | null>;
  consistency(fromSize: number, toSize: number): Promise<Buffer[]>;
  /** Inclusion proofs of events by position, against a tree size; `notCovered` when the event came after it. */
  inclusions(
    positions: readonly string[],
    treeSize: number,
  ): Promise<Map<string, { leafIndex: number; path: Buffer[] } | "notCovered" | "missing">>;
}

/** The ledger through its GraphQL gateway. */
export function graphqlLedger(url: string, token: string | undefined): Ledger {
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
    };
    return body;
  };
  const fail = (what: string, errors: { message: string }[] | undefined) =>
    new Error(`${what}: ${errors?.map((e) => e.message).join("; ") ?? "no answer"}`);
  return {
    async latestHead() {
      const { data, errors } = await ask("{ treeHead { treeSize timestamp rootHash keyId signature } }", {});
      if (errors?.length) throw fail("the ledger refused the tree head", errors);
      return (data?.treeHead as SignedHead | null) ?? null;
    },
    async consistency(fromSize, toSize) {
      const { data, errors } = await ask(
        "query($f: Int!, $t: Int!) { consistencyProof(fromSize: $f, toSize: $t) { path } }",
        { f: fromSize, t: toSize },
      );
      if (errors?.length) throw fail(`the ledger gave no consistency proof from ${fromSize} to ${toSize}`, errors);
      return ((data!.consistencyProof as { path: string[] }).path ?? []).map((h) => Buffer.from(h, "hex"));
    },
    async inclusions(positions, treeSize) {
      const fields = positions.map(
        (_, i) => `p${i}: inclusionProof(position: $p${i}, treeSize: $size) { leafIndex path }`,
      );
      const declared = positions.map((_, i) => `$p${i}: Position!`).join(", ");
      const variables = Object.fromEntries([["size", treeSize], ...positions.map((p, i) => [`p${i}`, p])]);
      const { data, errors } = await ask(`query(${declared}, $size: Int!) { ${fields.join(" ")} }`, variables);
      const results = new Map<string, { leafIndex: number; path: Buffer[] } | "notCovered" | "missing">();
      positions.forEach((position, i) => {
        const error = errors?.find((e) => e.path?.[0] === `p${i}`);
        const proof = data?.[`p${i}`] as { leafIndex: number; path: string[] } | null | undefined;
        if (proof)
          results.set(position, { leafIndex: proof.leafIndex, path: proof.path.map((h) => Buffer.from(h, "hex")) });
        else if (error?.extensions?.code === "NOT_FOUND") results.set(position, "missing");
        else if (error?.extensions?.code === "BAD_USER_INPUT") results.set(position, "notCovered");
        else throw fail(`the ledger gave no inclusion proof for position ${position}`, errors);
      });
      return results;
    },
  };
}

// ---- The audit ----

export interface AuditOptions {
  readonly publicKey: KeyObject;
  /** The head this auditor accepted last time, if any. */
  readonly previous: SignedHead | null;
  /** Export lines to check, with how many of them (all when undefined). */
  readonly exportLines?: readonly string[];
  readonly sample?: number;
  readonly say?: (line: string) => void;
}

export type AuditResult =
  | { readonly ok: true; readonly head: SignedHead; readonly eventsProved: number; readonly notCovered: number }
  | { readonly ok: false; readonly problem: string };

export async function audit(ledger: Ledger, options: AuditOptions): Promise<AuditResult> {
  const say = options.say ?? (() => undefined);
  const broken = (problem: string): AuditResult => ({ ok: false, problem });
  const head = await ledger.latestHead();
  if (!head) return broken("the ledger has signed no tree head yet");
  const signature = headProblem(options.publicKey, head);
  if (signature) return broken(`latest head (${head.treeSize} events): ${signature}`);
  say(`head: ${head.treeSize} events, root ${head.rootHash}, signed ${new Date(head.timestamp).toISOString()}`);

  const previous = options.previous;
  if (previous) {
    const again = headProblem(options.publicKey, previous);
    if (again) return broken(`the head kept from last time: ${again}`);
    if (head.treeSize < previous.treeSize) {
      return broken(`the ledger shrank: ${head.treeSize} events now, ${previous.treeSize} in the head accepted before`);
    }
    if (head.timestamp < previous.timestamp) return broken("the latest head is older than the one accepted before");
    const proof = head.treeSize === previous.treeSize ? [] : await ledger.consistency(previous.treeSize, head.treeSize);
    const consistent = verifyConsistency(
      previous.treeSize,
      head.treeSize,
      Buffer.from(previous.rootHash, "hex"),
      Buffer.from(head.rootHash, "hex"),
      proof,
    );
    if (!consistent) {
      return broken(
        `consistency proof from ${previous.treeSize} to ${head.treeSize} events fails: the log the head of ` +
          `${new Date(previous.timestamp).toISOString()} covered was rewritten`,
      );
    }
    say(`consistent with the head accepted before (${previous.treeSize} events, ${previous.rootHash})`);
  } else {
    say("no head accepted before: this one is taken on its signature alone (trust on first use)");
  }

  let eventsProved = 0;
  let notCovered = 0;
  const lines = options.exportLines ?? [];
  const chosen = options.sample === undefined || options.sample >= lines.length ? lines : pick(lines, options.sample);
  const root = Buffer.from(head.rootHash, "hex");
  for (let start = 0; start < chosen.length; start += 20) {
    const batch = chosen.slice(start, start + 20).map((line) => {
      const event = JSON.parse(line) as { position?: unknown };
      if (typeof event.position !== "string")
        throw new Error(`an export line without a position: ${line.slice(0, 80)}`);
      return { position: event.position, leaf: leafOfExportLine(line) };
    });
    const proofs = await ledger.inclusions(
      batch.map((b) => b.position),
      head.treeSize,
    );
    for (const { position, leaf } of batch) {
      const proof = proofs.get(position);
      if (proof === "notCovered") {
        notCovered += 1;
        continue;
      }
      if (proof === "missing" || proof === undefined) {
        return broken(`the event at position ${position} is not in the ledger's tree`);
      }
      if (!verifyInclusion(proof.leafIndex, head.treeSize, leaf, proof.path, root)) {
        return broken(
          `inclusion proof fails for the event at position ${position}: the export's event is not the one the head of ${head.treeSize} events covers`,
        );
      }
      eventsProved += 1;
    }
  }
  if (lines.length > 0) {
    say(
      `${eventsProved} of ${lines.length} exported events proved in the head` +
        (notCovered ? `; ${notCovered} came after it (check them against a later head)` : ""),
    );
  }
  return { ok: true, head, eventsProved, notCovered };
}

function pick<T>(items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = 0; i < count; i += 1) {
    const j = randomInt(i, copy.length);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

// ---- Command line ----

const USAGE = `usage: verify --url <gateway>/graphql --key <ledger public key PEM> --state <file>
              [--token <bearer token>] [--export <ledger.jsonl> [--sample N | --all]]
  --state keeps the last head accepted; the first run accepts a head on its signature alone.
  --token defaults to $PASSERELLE_TOKEN. --sample defaults to 20 events of the export.`;

async function readLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.trim()) lines.push(line);
  }
  return lines;
}

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        key: { type: "string" },
        state: { type: "string" },
        token: { type: "string" },
        export: { type: "string" },
        sample: { type: "string" },
        all: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const sample = values.all ? undefined : Number(values.sample ?? 20);
  if (positionals[0] !== "verify" || !values.url || !values.key || !values.state || Number.isNaN(sample)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const publicKey = createPublicKey(readFileSync(values.key));
    const previous = existsSync(values.state)
      ? ((JSON.parse(readFileSync(values.state, "utf8")) as { head: SignedHead }).head ?? null)
      : null;
    const result = await audit(graphqlLedger(values.url, values.token ?? process.env.PASSERELLE_TOKEN), {
      publicKey,
      previous,
      ...(values.export ? { exportLines: await readLines(values.export) } : {}),
      ...(sample === undefined ? {} : { sample }),
      say,
    });
    if (!result.ok) {
      say(`BROKEN: ${result.problem}`);
      return 1;
    }
    // Written aside then renamed: a crash never leaves a half-written state.
    writeFileSync(`${values.state}.tmp`, `${JSON.stringify({ head: result.head }, null, 2)}\n`);
    renameSync(`${values.state}.tmp`, values.state);
    say(`OK: head of ${result.head.treeSize} events accepted and kept in ${values.state}`);
    return 0;
  } catch (error) {
    // Not a broken proof: the check could not be made (the ledger unreachable, a refusal, a bad file).
    say(`NOT CHECKED: ${(error as Error).message}`);
    return 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
