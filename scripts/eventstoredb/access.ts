/**
 * Who may do what in Passerelle's EventStoreDB, which `setup.ts` applies to the store, and the setup's settings:
 * pure, so the compose file's static test reads the same declaration the setup applies.
 */
import { ConfigError } from "../../services/common/config";

/** The login Passerelle's subgraphs connect with (`esdb://passerelle:…@…` in docker-compose.yml). */
export const PASSERELLE_USER = "passerelle";

export interface StoreUser {
  readonly login: string;
  readonly fullName: string;
  readonly groups: readonly string[];
  /** The environment variable holding its password. */
  readonly passwordVariable: string;
  /** The password goes into a connection string as it is: only characters a URL carries unescaped. */
  readonly inUrl: boolean;
}

/**
 * The users the setup keeps: `ops` (the server's own operations account, its password now from the environment)
 * and Passerelle's, in no group (no `$admins`, no `$ops`): it gets exactly what the ACLs below grant it.
 * `admin` is not here: the setup signs in as it, with the password the nodes gave it on their first start.
 */
export const STORE_USERS: readonly StoreUser[] = [
  {
    login: "ops",
    fullName: "Event Store Operations",
    groups: ["$ops"],
    passwordVariable: "EVENTSTORE_OPS_PASSWORD",
    inUrl: false,
  },
  {
    login: PASSERELLE_USER,
    fullName: "Passerelle subgraphs",
    groups: [],
    passwordVariable: "PASSERELLE_EVENTSTORE_PASSWORD",
    inUrl: true,
  },
];

/**
 * The default ACL, the last event of `$settings`. User streams (Passerelle's `<category>-<id>`) are read and
 * written by Passerelle, no one else: the server's default lets every authenticated user do everything. Deleting
 * a stream and its metadata stay with admins (who pass every ACL anyway). System streams (`$users`, `$settings`,
 * …): admins only, the server's default written out.
 */
export const DEFAULT_ACL = {
  $userStreamAcl: {
    $r: ["$admins", PASSERELLE_USER],
    $w: ["$admins", PASSERELLE_USER],
    $d: ["$admins"],
    $mr: ["$admins"],
    $mw: ["$admins"],
  },
  $systemStreamAcl: { $r: ["$admins"], $w: ["$admins"], $d: ["$admins"], $mr: ["$admins"], $mw: ["$admins"] },
};

/**
 * `$all`'s own ACL (its metadata, `$$$all`): Passerelle reads and subscribes to `$all` (projections, live feeds,
 * the head position), which the system-stream default keeps to admins. Reading `$all` reads every event, the
 * system streams' too (the `$user-…` streams hold password hashes): hence long random passwords, all of them.
 */
export const ALL_STREAM_ACL = {
  readRoles: ["$admins", PASSERELLE_USER],
  writeRoles: ["$admins"],
  deleteRoles: ["$admins"],
  metaReadRoles: ["$admins"],
  metaWriteRoles: ["$admins"],
};

export interface StoreEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface SetupSettings {
  /** EVENTSTORE_HOSTS: the nodes, `host:port` comma-separated, named as in their certificates. */
  readonly hosts: readonly StoreEndpoint[];
  /** EVENTSTORE_CA_FILE: the CA that signed the nodes' certificates. */
  readonly caFile: string;
  /** EVENTSTORE_ADMIN_PASSWORD. */
  readonly adminPassword: string;
  /** Each STORE_USERS login's password. */
  readonly passwords: ReadonlyMap<string, string>;
}

const MIN_PASSWORD_LENGTH = 16;
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

function passwordProblems(variable: string, value: string | undefined, inUrl: boolean): string[] {
  if (!value) return [`${variable} is required (generate one: openssl rand -hex 24)`];
  const problems: string[] = [];
  if (value.length < MIN_PASSWORD_LENGTH)
    problems.push(`${variable} must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (inUrl && !URL_SAFE.test(value)) {
    problems.push(
      `${variable} may hold only letters, digits and . _ ~ - (it goes into the subgraphs' connection string as it is)`,
    );
  }
  return problems;
}

/** The setup's settings from the environment; one ConfigError listing every problem, never a password. */
export function setupSettings(env: NodeJS.ProcessEnv): SetupSettings {
  const problems: string[] = [];
  const hostsText = env.EVENTSTORE_HOSTS ?? "";
  const hosts = hostsText
    .split(",")
    .map((host) => host.trim())
    .filter((host) => host.length > 0)
    .map((host) => /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(host));
  if (hosts.length === 0 || hosts.some((match) => match === null)) {
    problems.push(
      `EVENTSTORE_HOSTS must list the nodes as host:port, comma-separated (got ${JSON.stringify(hostsText)})`,
    );
  }
  const caFile = env.EVENTSTORE_CA_FILE ?? "";
  if (!caFile) problems.push("EVENTSTORE_CA_FILE is required (the CA certificate that signed the nodes')");
  problems.push(...passwordProblems("EVENTSTORE_ADMIN_PASSWORD", env.EVENTSTORE_ADMIN_PASSWORD, false));
  for (const user of STORE_USERS) {
    problems.push(...passwordProblems(user.passwordVariable, env[user.passwordVariable], user.inUrl));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    hosts: hosts.map((match) => ({ address: match![1]!, port: Number(match![2]) })),
    caFile,
    adminPassword: env.EVENTSTORE_ADMIN_PASSWORD!,
    passwords: new Map(STORE_USERS.map((user) => [user.login, env[user.passwordVariable]!])),
  };
}
