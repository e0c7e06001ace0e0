/**
 * There is no Docker engine on these machines: docker-compose.yml and the Dockerfile are checked statically —
 * parsed, and their services, images, ports, environment and health checks held to what the code expects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { GATEWAY_PORT, SERVICE_PORTS } from "../services/common/ports";

const ROOT = join(__dirname, "..");

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const SUBGRAPHS = Object.keys(SERVICE_PORTS) as Array<keyof typeof SERVICE_PORTS>;

describe("docker-compose.yml", () => {
  it("declares EventStoreDB, the three subgraphs and the gateway", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        "activities",
        "audit",
        "eventstore-node1",
        "eventstore-node2",
        "eventstore-node3",
        "eventstoredb",
        "gateway",
        "partnerships",
      ].sort(),
    );
  });

  it("pins an official EventStoreDB image, single node by default, a three-node cluster under a profile", () => {
    const stores = ["eventstoredb", "eventstore-node1", "eventstore-node2", "eventstore-node3"].map(
      (name) => compose.services[name]!,
    );
    for (const store of stores) {
      expect(store.image).toMatch(/^eventstore\/eventstore:\d+\.\d+\.\d+-[a-z-]+$/);
      expect(store.healthcheck!.test.join(" ")).toContain("http://localhost:2113/health/live");
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
    for (const name of ["eventstoredb", "eventstore-node1", "eventstore-node2", "eventstore-node3"]) {
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
        EVENTSTORE_CONNECTION_STRING: expect.stringContaining("esdb://eventstoredb:2113"),
        PASSERELLE_JWT_SECRET: expect.stringMatching(/^\$\{PASSERELLE_JWT_SECRET:\?/),
        PASSERELLE_DATA_DIR: "/data",
        PASSERELLE_HOST: "0.0.0.0",
        [`PASSERELLE_${name.toUpperCase()}_PORT`]: String(port),
      });
      expect(service.expose).toEqual([String(port)]);
      // No named volume: each replica gets the image's anonymous /data, so replicas never share a read-model file.
      expect(service.volumes).toBeUndefined();
      // Nothing that would stop `--scale`: no fixed container name, no host port.
      expect(service).not.toHaveProperty("container_name");
      expect(service.ports).toBeUndefined();
      expect(service.healthcheck!.test.join(" ")).toContain(`http://127.0.0.1:${port}/ready`);
      expect(service.depends_on).toEqual({ eventstoredb: { condition: "service_healthy" } });
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

  it("sets only environment variables the code reads", () => {
    const source = [
      "services/common/config.ts",
      "services/common/run.ts",
      "services/gateway/main.ts",
      "services/common/logging.ts",
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
    expect(build).toMatch(/npx tsc -p tsconfig\.json && npm prune --omit=dev/);
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=build /app/node_modules ./node_modules");
    expect(runtime).toContain("COPY --from=build /app/dist ./dist");
    expect(runtime).toContain("COPY schema ./schema");
  });

  it("runs as a non-root user, the service chosen by SERVICE, with its data in a volume", () => {
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ARG SERVICE=gateway$/m);
    expect(runtime).toContain('VOLUME ["/data"]');
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
