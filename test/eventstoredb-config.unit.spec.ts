/**
 * The configuration refuses an EventStoreDB link that anyone on the store's network could use (no TLS, or no
 * credentials) unless PASSERELLE_EVENTSTORE_INSECURE=true says it is meant, and never echoes a password; the
 * store's setup step checks its own settings the same way.
 */
import { ConfigError, storageConfig } from "../services/common/config";
import { PASSERELLE_USER, setupSettings } from "../scripts/eventstoredb/access";

const SECURE = "esdb://passerelle:s3cret-passw0rd@eventstoredb:2113?tls=true&tlsCAFile=/certs/ca/ca.crt";

/** The problems storageConfig reports for these variables; fails the test if it accepts them. */
function problems(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    storageConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("storageConfig accepted the configuration");
}

describe("EventStoreDB connection string: TLS and credentials", () => {
  it.each([
    SECURE,
    "esdb://passerelle:s3cret@eventstoredb:2113",
    "esdb+discover://passerelle:s3cret@cluster.example:2113?tlsCAFile=/certs/ca/ca.crt",
    "esdb://passerelle:s3cret@eventstore-node1:2113,eventstore-node2:2113,eventstore-node3:2113?tls=true",
    "esdb://passerelle:s3cret@eventstoredb:2113?tls=false&tls=true",
  ])("accepts %s (TLS is the client's default; the last tls setting wins)", (connection) => {
    expect(storageConfig({ EVENTSTORE_CONNECTION_STRING: connection }).eventStoreConnectionString).toBe(connection);
  });

  it.each(["tls=false", "TLS=false", "Tls= false", "t_l-s=false", "tls=true&tls=false"])(
    "refuses %s, naming the setting and the way out",
    (setting) => {
      expect(
        problems({ EVENTSTORE_CONNECTION_STRING: `esdb://passerelle:s3cret@eventstoredb:2113?${setting}` }),
      ).toEqual([
        expect.stringMatching(/^EVENTSTORE_CONNECTION_STRING sets tls=false: .*PASSERELLE_EVENTSTORE_INSECURE=true$/),
      ]);
    },
  );

  it.each(["tlsVerifyCert=false", "TLS_VERIFY_CERT=false", "tlsVerifyCert=true&tlsverifycert=false"])(
    "refuses %s: TLS that checks no certificate lets anyone in the middle read and write",
    (setting) => {
      expect(
        problems({ EVENTSTORE_CONNECTION_STRING: `esdb://passerelle:s3cret@eventstoredb:2113?${setting}` }),
      ).toEqual([
        expect.stringMatching(
          /^EVENTSTORE_CONNECTION_STRING sets tlsVerifyCert=false: .*PASSERELLE_EVENTSTORE_INSECURE=true$/,
        ),
      ]);
    },
  );

  it.each([
    "esdb://eventstoredb:2113?tls=true&tlsCAFile=/certs/ca/ca.crt",
    "esdb://passerelle@eventstoredb:2113",
    "esdb://passerelle:@eventstoredb:2113",
    "esdb://:s3cret@eventstoredb:2113",
    // An @ further on is not a user and a password.
    "esdb://eventstoredb:2113?tlsCAFile=/certs/a:b@c.crt",
  ])("refuses %s: no user and password", (connection) => {
    expect(problems({ EVENTSTORE_CONNECTION_STRING: connection })).toEqual([
      expect.stringMatching(
        /^EVENTSTORE_CONNECTION_STRING carries no credentials: .*PASSERELLE_EVENTSTORE_INSECURE=true$/,
      ),
    ]);
  });

  it("reports both problems of the old compose file's link, with the other settings' problems", () => {
    expect(
      problems({
        EVENTSTORE_CONNECTION_STRING: "esdb://eventstoredb:2113?tls=false",
        PASSERELLE_SQLITE_DURABILITY: "x",
      }),
    ).toEqual([
      expect.stringContaining("PASSERELLE_SQLITE_DURABILITY"),
      expect.stringContaining("sets tls=false"),
      expect.stringContaining("carries no credentials"),
    ]);
  });

  it("lets an insecure link through only with PASSERELLE_EVENTSTORE_INSECURE=true", () => {
    const local = "esdb://localhost:2113?tls=false";
    expect(
      storageConfig({ EVENTSTORE_CONNECTION_STRING: local, PASSERELLE_EVENTSTORE_INSECURE: "true" })
        .eventStoreConnectionString,
    ).toBe(local);
    for (const flag of [undefined, "", "false"]) {
      expect(problems({ EVENTSTORE_CONNECTION_STRING: local, PASSERELLE_EVENTSTORE_INSECURE: flag })).toHaveLength(2);
    }
  });

  it.each(["yes", "1", "TRUE"])("refuses PASSERELLE_EVENTSTORE_INSECURE=%s: only true or false", (flag) => {
    expect(
      problems({
        EVENTSTORE_CONNECTION_STRING: "esdb://localhost:2113?tls=false",
        PASSERELLE_EVENTSTORE_INSECURE: flag,
      }),
    ).toEqual([`PASSERELLE_EVENTSTORE_INSECURE must be true or false (got ${JSON.stringify(flag)})`]);
  });

  it("keeps the embedded store when no connection string is set, whatever the flag", () => {
    expect(storageConfig({}).eventStoreConnectionString).toBeUndefined();
    expect(storageConfig({ PASSERELLE_EVENTSTORE_INSECURE: "true" }).eventStoreConnectionString).toBeUndefined();
  });

  it.each([
    "esdb://passerelle:hunter2-secret@eventstoredb:2113?tls=false",
    "esdb://passerelle:hunter2-secret@eventstoredb:2113?tls=false&tlsCAFile=/a@b",
    "http://passerelle:hunter2-secret@eventstoredb:2113",
  ])("never echoes the password of %s", (connection) => {
    const reported = problems({ EVENTSTORE_CONNECTION_STRING: connection });
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.join("\n")).not.toContain("hunter2");
  });
});

describe("EventStoreDB setup (scripts/eventstoredb): its settings", () => {
  const GOOD = {
    EVENTSTORE_HOSTS: "eventstore-node1:2113, eventstore-node2:2113,eventstore-node3:2113",
    EVENTSTORE_CA_FILE: "/certs/ca/ca.crt",
    EVENTSTORE_ADMIN_PASSWORD: "admin-password-0123456789",
    EVENTSTORE_OPS_PASSWORD: "ops:password/with?anything@",
    PASSERELLE_EVENTSTORE_PASSWORD: "0123456789abcdef0123456789abcdef",
  };

  function setupProblems(env: NodeJS.ProcessEnv): readonly string[] {
    try {
      setupSettings(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error("setupSettings accepted the configuration");
  }

  it("reads the nodes, the CA and one password per user", () => {
    const settings = setupSettings(GOOD);
    expect(settings.hosts).toEqual([1, 2, 3].map((n) => ({ address: `eventstore-node${n}`, port: 2113 })));
    expect(settings.caFile).toBe("/certs/ca/ca.crt");
    expect(settings.adminPassword).toBe(GOOD.EVENTSTORE_ADMIN_PASSWORD);
    expect(Object.fromEntries(settings.passwords)).toEqual({
      ops: GOOD.EVENTSTORE_OPS_PASSWORD,
      [PASSERELLE_USER]: GOOD.PASSERELLE_EVENTSTORE_PASSWORD,
    });
  });

  it("lists every missing setting at once", () => {
    expect(setupProblems({})).toEqual([
      expect.stringMatching(/^EVENTSTORE_HOSTS must list the nodes/),
      expect.stringMatching(/^EVENTSTORE_CA_FILE is required/),
      expect.stringMatching(/^EVENTSTORE_ADMIN_PASSWORD is required/),
      expect.stringMatching(/^EVENTSTORE_OPS_PASSWORD is required/),
      expect.stringMatching(/^PASSERELLE_EVENTSTORE_PASSWORD is required/),
    ]);
  });

  it.each([
    "eventstoredb",
    "https://eventstoredb:2113",
    "eventstoredb:port",
    "eventstoredb:2113;eventstore-node1:2113",
    " ",
  ])("refuses EVENTSTORE_HOSTS=%j: every entry is host:port", (hosts) => {
    expect(setupProblems({ ...GOOD, EVENTSTORE_HOSTS: hosts })).toEqual([
      expect.stringMatching(/^EVENTSTORE_HOSTS must list the nodes as host:port/),
    ]);
  });

  it("refuses short passwords, and for the one in the subgraphs' connection string, characters a URL escapes", () => {
    expect(
      setupProblems({
        ...GOOD,
        EVENTSTORE_ADMIN_PASSWORD: "changeit",
        PASSERELLE_EVENTSTORE_PASSWORD: "0123456789abcdef@0123/456",
      }),
    ).toEqual([
      "EVENTSTORE_ADMIN_PASSWORD must be at least 16 characters",
      expect.stringMatching(/^PASSERELLE_EVENTSTORE_PASSWORD may hold only letters, digits and \. _ ~ -/),
    ]);
  });

  it("never echoes a password", () => {
    const reported = setupProblems({
      ...GOOD,
      EVENTSTORE_OPS_PASSWORD: "hunter2",
      PASSERELLE_EVENTSTORE_PASSWORD: "hunter2@",
    });
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.join("\n")).not.toContain("hunter2");
  });
});
