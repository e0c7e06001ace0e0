/**
 * There is no Docker engine on these machines: docker-compose.yml and the Dockerfile are checked statically —
 * parsed, and their services, images, ports, environment and health checks held to what the code expects.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { storageConfig } from "../services/common/config";
import { GATEWAY_PORT, SERVICE_PORTS } from "../services/common/ports";
import { ALL_STREAM_ACL, DEFAULT_ACL, PASSERELLE_USER, STORE_USERS } from "../scripts/eventstoredb/access";

const ROOT = join(__dirname, "..");

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  user?: string;
  restart?: string;
  network_mode?: string;
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  secrets?: string[];
}

const composeText = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const SUBGRAPHS = Object.keys(SERVICE_PORTS) as Array<keyof typeof SERVICE_PORTS>;
const NODES = ["eventstoredb", "eventstore-node1", "eventstore-node2", "eventstore-node3"];
const CLUSTER = NODES.slice(1);
const CERTS = "eventstore-certs";
const SETUP = "eventstore-setup";
/** What compose makes of `${NAME:?message}`: the variable's value, or a refusal to start without it. */
const REQUIRED = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`);

describe("docker-compose.yml", () => {
  it("declares EventStoreDB, its certificate and setup steps, the three subgraphs and the gateway", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        "activities",
        "audit",
        "backup",
        "eventstore-node1",
        "eventstore-node2",
        "eventstore-node3",
        "eventstoredb",
        CERTS,
        SETUP,
        "gateway",
        "partnerships",
      ].sort(),
    );
  });

  it("pins an official EventStoreDB image, single node by default, a three-node cluster under a profile", () => {
    for (const store of NODES.map((name) => compose.services[name]!)) {
      expect(store.image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+-[a-z-]+$/);
      // Over TLS, as the secured node serves it: with no certificate for localhost, -k on loopback.
      expect(store.healthcheck!.test.join(" ")).toMatch(
        /curl (-\w*k\w* |--insecure |--cacert \S+ ).*https:\/\/localhost:2113\/health\/live/,
      );
      expect(store.volumes!.some((v) => v.endsWith(":/var/lib/eventstore"))).toBe(true);
    }
    expect(compose.services.eventstoredb!.profiles).toBeUndefined();
    expect(compose.services.eventstoredb!.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: "1" });
    for (const [n, node] of ["eventstore-node1", "eventstore-node2", "eventstore-node3"].entries()) {
      const service = compose.services[node]!;
      expect(service.profiles).toEqual(["cluster"]);
      expect(service.environment).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: "3" });
      const seeds = service.environment!.EVENTSTORE_GOSSIP_SEED!.split(",");
      expect(seeds.sort()).toEqual([1, 2, 3].filter((i) => i !== n + 1).map((i) => `eventstore-node${i}:2113`));
    }
  });

  it("raises EventStoreDB's 1 MiB append limit on every node, within what the pinned server accepts", () => {
    for (const name of NODES) {
      const value = compose.services[name]!.environment?.EVENTSTORE_MAX_APPEND_SIZE;
      expect([name, value]).toEqual([name, expect.stringMatching(/^\d+$/)]);
      // Above the default; at most 16 MiB less the 10,000-byte record overhead, or the node refuses to start.
      expect(Number(value)).toBeGreaterThan(1024 * 1024);
      expect(Number(value)).toBeLessThanOrEqual(16 * 1024 * 1024 - 10_000);
    }
  });

  it.each(SUBGRAPHS)(
    "runs the %s subgraph from the Dockerfile, wired, with read models of its own per replica and a readiness check",
    (name) => {
      const service = compose.services[name]!;
      const port = SERVICE_PORTS[name];
      expect(service.build).toEqual({
        context: ".",
        dockerfile: "Dockerfile",
        target: "runtime",
        args: { SERVICE: name },
      });
      expect(service.environment).toMatchObject({
        EVENTSTORE_CONNECTION_STRING: expect.stringContaining("@${EVENTSTORE_HOSTS:-eventstoredb:2113}?"),
        PASSERELLE_JWT_SECRET: expect.stringMatching(REQUIRED("PASSERELLE_JWT_SECRET")),
        PASSERELLE_DATA_DIR: "/data",
        PASSERELLE_HOST: "0.0.0.0",
        [`PASSERELLE_${name.toUpperCase()}_PORT`]: String(port),
      });
      expect(service.expose).toEqual([String(port)]);
      // Only the store's CA, read-only: each replica gets the image's anonymous /data, so replicas never share a
      // read-model file.
      // The audit service also keeps the signed tree heads, in a volume shared by its replicas: they are not a
      // read model.
      // Every replica shares the personal-data vault (a key made by one must open in all, and an erasure must
      // reach all); the audit service also keeps the signed tree heads. Neither is a read model.
      expect(service.volumes).toEqual([
        "eventstore-ca:/certs/ca:ro",
        "personal-data:/personal",
        "erasure-register:/erasures",
        ...(name === "audit" ? ["tree-heads:/ledger"] : []),
      ]);
      expect(service.environment!.PASSERELLE_PERSONAL_DATA_FILE).toBe("/personal/personal.db");
      expect(service.environment!.PASSERELLE_ERASURE_REGISTER_FILE).toBe("/erasures/erasures.db");
      // Nothing that would stop `--scale`: no fixed container name, no host port.
      expect(service).not.toHaveProperty("container_name");
      expect(service.ports).toBeUndefined();
      expect(service.healthcheck!.test.join(" ")).toContain(`http://127.0.0.1:${port}/ready`);
      // The setup ran (after the store was healthy): the passerelle user exists, with its password and ACLs.
      expect(service.depends_on).toEqual({ [SETUP]: { condition: "service_completed_successfully" } });
    },
  );

  it("runs the gateway in front of the subgraphs, published on its port, once they are ready", () => {
    const gateway = compose.services.gateway!;
    expect(gateway.build!.args).toEqual({ SERVICE: "gateway" });
    expect(gateway.ports).toEqual([`${GATEWAY_PORT}:${GATEWAY_PORT}`]);
    expect(gateway.environment).toMatchObject({
      PASSERELLE_GATEWAY_PORT: String(GATEWAY_PORT),
      ...Object.fromEntries(
        SUBGRAPHS.map((name) => [
          `PASSERELLE_${name.toUpperCase()}_URL`,
          `http://${name}:${SERVICE_PORTS[name]}/graphql`,
        ]),
      ),
    });
    expect(gateway.depends_on).toEqual(
      Object.fromEntries(SUBGRAPHS.map((name) => [name, { condition: "service_healthy" }])),
    );
    expect(gateway.healthcheck!.test.join(" ")).toContain(`http://127.0.0.1:${GATEWAY_PORT}/ready`);
  });

  it("checks tokens in the gateway as the subgraphs do (it counts live subscriptions per user)", () => {
    const auth = (environment: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(environment).filter(
          ([name]) => name === "PASSERELLE_JWT_SECRET" || name.startsWith("PASSERELLE_OIDC_"),
        ),
      );
    const gateway = auth(compose.services.gateway!.environment as Record<string, unknown>);
    expect(Object.keys(gateway)).toEqual(expect.arrayContaining(["PASSERELLE_JWT_SECRET", "PASSERELLE_OIDC_ISSUER"]));
    for (const name of SUBGRAPHS)
      expect(auth(compose.services[name]!.environment as Record<string, unknown>)).toEqual(gateway);
  });

  it("has a backup job that reaches every store the backup procedure copies, in the procedure's order", () => {
    const backup = compose.services.backup!;
    expect(backup.profiles).toEqual(["backup"]);
    // Each kept store where the services keep it: the same volume, the same path.
    const mountOf = (path: string, service: ComposeService) =>
      service.volumes!.find((volume) => path.startsWith(`${volume.split(":")[1]}/`));
    const audit = compose.services.audit!;
    for (const variable of [
      "PASSERELLE_PERSONAL_DATA_FILE",
      "PASSERELLE_ERASURE_REGISTER_FILE",
      "PASSERELLE_TREE_HEADS_FILE",
    ]) {
      const path = backup.environment![variable]!;
      expect([variable, path]).toEqual([variable, audit.environment![variable]]);
      expect([variable, mountOf(path, backup)]).toEqual([variable, mountOf(path, audit)]);
    }
    // The node's data read-only (index and chunks are in its one data volume), the copy script, the destination.
    expect(backup.volumes).toEqual(
      expect.arrayContaining([
        "${EVENTSTORE_BACKUP_VOLUME:-eventstore-data}:/eventstore:ro",
        "./scripts/eventstoredb:/scripts:ro",
        "./backups:/backups",
      ]),
    );
    expect(compose.services.eventstoredb!.volumes).toContain("eventstore-data:/var/lib/eventstore");
    expect(Object.keys(compose.volumes)).toEqual(
      expect.arrayContaining(["personal-data", "erasure-register", "tree-heads", "eventstore-data"]),
    );
    expect(backup.entrypoint).toEqual([
      "node",
      "dist/scripts/backup/backup-cli.js",
      "--without-key",
      "--eventstoredb-backup",
      // `$$` is compose's literal `$`: the shell running the command expands it to the backup being written.
      'sh /scripts/backup.sh /eventstore "$$PASSERELLE_BACKUP_DIR/eventstoredb"',
    ]);
    expect(backup.secrets).toBeUndefined();
    // EventStoreDB's documented order: checkpoints, then the index, then the chunks.
    const script = readFileSync(join(ROOT, "scripts", "eventstoredb", "backup.sh"), "utf8");
    const order = ["/*.chk", "/index", "/chunk-*"].map((part) => script.indexOf(`"$source"${part}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("gives the audit service its signing key as a required secret, and keeps its tree heads in a named volume", () => {
    const audit = compose.services.audit!;
    expect(compose.secrets["ledger-key"]!.file).toMatch(REQUIRED("PASSERELLE_LEDGER_KEY_FILE"));
    expect(audit.secrets).toEqual(["ledger-key"]);
    expect(audit.environment!.PASSERELLE_LEDGER_KEY_FILE).toBe("/run/secrets/ledger-key");
    const heads = audit.environment!.PASSERELLE_TREE_HEADS_FILE!;
    const mount = audit.volumes!.find((volume) => heads.startsWith(`${volume.split(":")[1]}/`));
    expect(mount).toBe("tree-heads:/ledger");
    expect(Object.keys(compose.volumes)).toContain("tree-heads");
    // No other service holds the key.
    for (const [name, service] of Object.entries(compose.services)) {
      if (name !== "audit") expect([name, service.secrets]).toEqual([name, undefined]);
    }
  });

  it("sets only environment variables the code reads", () => {
    const source = [
      "services/common/config.ts",
      "services/common/run.ts",
      "services/gateway/main.ts",
      "services/common/logging.ts",
      "scripts/eventstoredb/access.ts",
    ]
      .map((file) => readFileSync(join(ROOT, file), "utf8"))
      .join("\n");
    const perService = (suffix: string) =>
      new RegExp(`PASSERELLE_\\$\\{[^}]+\\.toUpperCase\\(\\)\\}_${suffix}`).test(source);
    for (const service of Object.values(compose.services).filter((s) => s.build)) {
      for (const variable of Object.keys(service.environment ?? {})) {
        const generic = /^PASSERELLE_(PARTNERSHIPS|ACTIVITIES|AUDIT)_(PORT|URL)$/.exec(variable);
        expect([
          variable,
          generic ? perService(generic[2]!) : source.includes(`"${variable}"`) || source.includes(`.${variable}`),
        ]).toEqual([variable, true]);
      }
    }
  });
});

describe("docker-compose.yml: EventStoreDB secured, unpublished, with its own users", () => {
  const setup = compose.services[SETUP]!;
  const certs = compose.services[CERTS]!;
  const connection = compose.services.partnerships!.environment!.EVENTSTORE_CONNECTION_STRING!;

  it("publishes no port but the gateway's: the store is reached from inside the project only", () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(["gateway"]);
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.network_mode]).not.toEqual([name, "host"]);
    }
  });

  it("runs every node secured: none of the switches that drop TLS, authentication or ACLs", () => {
    for (const name of NODES) {
      const environment = compose.services[name]!.environment!;
      for (const setting of [
        "EVENTSTORE_INSECURE",
        "EVENTSTORE_DEV",
        "EVENTSTORE_ALLOW_ANONYMOUS_ENDPOINT_ACCESS",
        "EVENTSTORE_ALLOW_ANONYMOUS_STREAM_ACCESS",
        "EVENTSTORE_DISABLE_FIRST_LEVEL_HTTP_AUTHORIZATION",
        "EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP",
      ]) {
        const value = environment[setting];
        expect([name, setting, value === undefined || String(value) === "false"]).toEqual([name, setting, true]);
      }
    }
  });

  it("gives every node its own certificate from the certificates volume, and the CA to trust", () => {
    expect(certs.command).toEqual(NODES);
    for (const name of NODES) {
      const node = compose.services[name]!;
      expect([name, node.volumes]).toEqual([name, expect.arrayContaining(["eventstore-certs:/certs:ro"])]);
      expect([name, node.environment]).toEqual([
        name,
        expect.objectContaining({
          EVENTSTORE_CERTIFICATE_FILE: `/certs/${name}/node.crt`,
          EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE: `/certs/${name}/node.key`,
          EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH: "/certs/ca",
        }),
      ]);
    }
    // Peers and clients check a node's name against its certificate's: the cluster nodes advertise that name,
    // and seed gossip with names that have certificates.
    for (const name of CLUSTER) {
      const environment = compose.services[name]!.environment!;
      expect([
        name,
        environment.EVENTSTORE_NODE_HOST_ADVERTISE_AS,
        environment.EVENTSTORE_REPLICATION_HOST_ADVERTISE_AS,
      ]).toEqual([name, name, name]);
      for (const seed of environment.EVENTSTORE_GOSSIP_SEED!.split(",")) expect(NODES).toContain(seed.split(":")[0]);
    }
  });

  it("makes the certificates in a one-shot step that every node waits for", () => {
    expect(certs.image).toMatch(/^eventstore\/es-gencert-cli:\d+\.\d+\.\d+$/);
    expect(certs.entrypoint).toEqual(["bash", "/scripts/certificates.sh"]);
    expect(certs.volumes).toEqual([
      "./scripts/eventstoredb:/scripts:ro",
      "eventstore-certs:/certs",
      "eventstore-ca:/ca",
    ]);
    expect(certs.network_mode).toBe("none");
    expect(certs.restart).toBeUndefined();
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(["eventstore-certs", "eventstore-ca"]));
    const script = readFileSync(join(ROOT, "scripts", "eventstoredb", "certificates.sh"), "utf8");
    expect(script).toMatch(/es-gencert-cli create-ca -out \.\/ca\n/);
    expect(script).toMatch(
      /es-gencert-cli create-node -ca-certificate \.\/ca\/ca\.crt -ca-key \.\/ca\/ca\.key -out "\.\/\$node" -dns-names "\$node"\n/,
    );
    expect(script).toContain("cp ca/ca.crt /ca/ca.crt\n");
    for (const name of NODES) {
      expect([name, compose.services[name]!.depends_on]).toEqual([
        name,
        { [CERTS]: { condition: "service_completed_successfully" } },
      ]);
    }
  });

  it("sets up users and ACLs in a one-shot step once the store is healthy, before any subgraph starts", () => {
    expect(setup.build).toEqual({ context: ".", dockerfile: "Dockerfile", target: "runtime" });
    expect(setup.command).toEqual(["node", "dist/scripts/eventstoredb/setup.js"]);
    expect(existsSync(join(ROOT, "scripts", "eventstoredb", "setup.ts"))).toBe(true);
    expect(setup.depends_on).toEqual({ eventstoredb: { condition: "service_healthy" } });
    expect(setup.restart).toBeUndefined();
    expect(setup.volumes).toEqual(["eventstore-ca:/certs/ca:ro"]);
    expect(setup.environment).toEqual({
      EVENTSTORE_HOSTS: "${EVENTSTORE_HOSTS:-eventstoredb:2113}",
      EVENTSTORE_CA_FILE: "/certs/ca/ca.crt",
      EVENTSTORE_ADMIN_PASSWORD: expect.stringMatching(REQUIRED("EVENTSTORE_ADMIN_PASSWORD")),
      ...Object.fromEntries(
        STORE_USERS.map((user) => [user.passwordVariable, expect.stringMatching(REQUIRED(user.passwordVariable))]),
      ),
    });
    // The nodes give admin and ops the same passwords on their first start.
    for (const name of NODES) {
      expect([name, compose.services[name]!.environment]).toEqual([
        name,
        expect.objectContaining({
          EVENTSTORE_DEFAULT_ADMIN_PASSWORD: setup.environment!.EVENTSTORE_ADMIN_PASSWORD,
          EVENTSTORE_DEFAULT_OPS_PASSWORD: setup.environment!.EVENTSTORE_OPS_PASSWORD,
        }),
      ]);
    }
    for (const name of SUBGRAPHS) {
      expect(compose.services[name]!.depends_on).toEqual({ [SETUP]: { condition: "service_completed_successfully" } });
    }
  });

  it("connects the subgraphs over TLS, checked against the CA, as the passerelle user with a required password", () => {
    const passerelle = STORE_USERS.find((user) => user.login === PASSERELLE_USER)!;
    const match = /^esdb:\/\/([^:]+):(\$\{[^}]+\})@(\$\{[^}]+\})\?(.*)$/.exec(connection);
    expect(match).not.toBeNull();
    const [, user, password, hosts, query] = match!;
    expect(user).toBe(PASSERELLE_USER);
    expect(password).toMatch(REQUIRED(passerelle.passwordVariable));
    // The same nodes the setup prepared.
    expect(hosts).toBe(setup.environment!.EVENTSTORE_HOSTS);
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ tls: "true", tlsCAFile: "/certs/ca/ca.crt" });
    for (const name of SUBGRAPHS) {
      expect(compose.services[name]!.environment!.EVENTSTORE_CONNECTION_STRING).toBe(connection);
    }
    // Interpolated as compose would, the services' own configuration takes it without the insecure escape.
    const interpolated = connection
      .replace(/\$\{PASSERELLE_EVENTSTORE_PASSWORD:\?[^}]+\}/, "0123456789abcdef0123")
      .replace(/\$\{EVENTSTORE_HOSTS:-([^}]+)\}/, "$1");
    expect(storageConfig({ EVENTSTORE_CONNECTION_STRING: interpolated }).eventStoreConnectionString).toBe(interpolated);
  });

  it("holds no password: every secret is a required variable, without a default", () => {
    expect(composeText).not.toMatch(/changeit/i);
    // Any ${…} naming a password or secret: the required form only, never a default (`:-`, `-`) or an alternative.
    const secrets = [...composeText.matchAll(/\$\{(\w*(?:PASSWORD|SECRET)\w*)([^}]*)\}/g)];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const [whole, , rest] of secrets) expect([whole, rest!.startsWith(":?")]).toEqual([whole, true]);
    // Any variable set to a password or secret is exactly such a reference; no URL carries one literally.
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(variable)) {
          expect([name, variable, String(value)]).toEqual([
            name,
            variable,
            expect.stringMatching(/^\$\{\w+:\?[^}]+\}$/),
          ]);
        }
      }
    }
    // Each ${…} flattened first (their messages hold spaces), so every URL is seen whole.
    const flattened = composeText.replace(/\$\{(\w+)(:?[-?+]?)[^}]*\}/g, "<$1$2>");
    const withUserinfo = [...flattened.matchAll(/\w+:\/\/[^\s"']+/g)]
      .map(([url]) => [url, /^\w+:\/\/([^/@]*)@/.exec(url)?.[1]] as const)
      .filter(([, userinfo]) => userinfo !== undefined);
    expect(withUserinfo.length).toBeGreaterThan(0);
    for (const [url, userinfo] of withUserinfo) {
      expect([url, userinfo]).toEqual([url, expect.stringMatching(/^\w+:<\w+:\?>$/)]);
    }
  });

  it("grants Passerelle's user reading and writing its streams and reading $all, nothing else", () => {
    expect(STORE_USERS.find((user) => user.login === PASSERELLE_USER)!.groups).toEqual([]);
    expect(DEFAULT_ACL).toEqual({
      $userStreamAcl: {
        $r: ["$admins", PASSERELLE_USER],
        $w: ["$admins", PASSERELLE_USER],
        $d: ["$admins"],
        $mr: ["$admins"],
        $mw: ["$admins"],
      },
      $systemStreamAcl: { $r: ["$admins"], $w: ["$admins"], $d: ["$admins"], $mr: ["$admins"], $mw: ["$admins"] },
    });
    expect(ALL_STREAM_ACL).toEqual({
      readRoles: ["$admins", PASSERELLE_USER],
      writeRoles: ["$admins"],
      deleteRoles: ["$admins"],
      metaReadRoles: ["$admins"],
      metaWriteRoles: ["$admins"],
    });
  });
});

describe("Dockerfile", () => {
  const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => ({ image: m[1]!, name: m[2]! }));

  it("builds in one stage and runs in another, from a pinned Node 20 image", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "runtime"]);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
  });

  it("installs from the lock file, compiles, and ships only production dependencies", () => {
    const build = dockerfile.slice(dockerfile.indexOf("AS build"), dockerfile.indexOf("AS runtime"));
    expect(build).toContain("COPY package.json package-lock.json ./");
    expect(build).toMatch(/RUN npm ci\n/);
    expect(build).toContain("python3 make g++");
    // The console is built (codegen from the checked-in supergraph, then Vite) before the dev tools go.
    expect(build).toMatch(/npx tsc -p tsconfig\.json && npm run build:console && npm prune --omit=dev/);
    expect(build).toContain("COPY console ./console");
    expect(build).toContain("COPY schema ./schema");
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=build /app/node_modules ./node_modules");
    expect(runtime).toContain("COPY --from=build /app/dist ./dist");
    expect(runtime).toContain("COPY --from=build /app/console/dist ./console/dist");
    expect(runtime).toContain("COPY schema ./schema");
  });

  it("runs as a non-root user, the service chosen by SERVICE, with its data in a volume", () => {
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ARG SERVICE=gateway$/m);
    expect(runtime).toContain('VOLUME ["/data"]');
    // Every writable volume a service mounts is a directory the image makes and gives to node, or Docker would
    // create it root-owned and the service could not write its store there.
    const owned = /^RUN mkdir -p (.+) && chown node:node (.+)$/m.exec(runtime);
    expect(owned).not.toBeNull();
    const made = new Set(owned![1]!.split(" "));
    const chowned = new Set(owned![2]!.split(" "));
    for (const name of [...SUBGRAPHS, "gateway"]) {
      for (const volume of compose.services[name]!.volumes ?? []) {
        const [, path, mode] = volume.split(":");
        if (mode === "ro") continue;
        expect({ name, path, made: made.has(path!), owned: chowned.has(path!) }).toEqual({
          name,
          path,
          made: true,
          owned: true,
        });
      }
    }
    expect(runtime).toContain("exec node dist/services/${PASSERELLE_SERVICE}/main.js");
    for (const name of [...SUBGRAPHS, "gateway"])
      expect(readFileSync(join(ROOT, "services", name, "main.ts"), "utf8").length).toBeGreaterThan(0);
  });
});

describe("Dockerfile", () => {
  it("copies every source folder the build compiles for the services", () => {
    for (const folder of ["events", "domain", "projections", "services", "scripts"]) {
      expect(dockerfile).toContain(`COPY ${folder} ./${folder}`);
    }
  });
});
