/**
 * The personal-data vault: values sealed with a key per person, contacts kept outside the log, and forgetting a
 * person that really removes the bytes — while the log that carries the sealed values is untouched and verifies.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { PersonForgottenError, isSealed, type Sealed } from "../events/personal-data/vault";
import { leafHash, leafInput, CompactRange } from "../events/transparency/merkle";
import { verifyIntegrity } from "../services/audit/integrity";
import { tempDir } from "./support/temp";

const NAME = "Jeanne Dupont-Marchal";
const EMAIL = "jeanne.dupont-marchal@chu-exemple.fr";

/** Every byte of a SQLite database and its journal files. */
const bytesOf = (path: string) =>
  Buffer.concat(["", "-wal", "-shm"].filter((s) => existsSync(path + s)).map((s) => readFileSync(path + s)));

describe("the personal-data vault", () => {
  const dir = tempDir("passerelle-vault-");
  afterAll(() => dir.remove());

  it("seals a value for one person: it opens with that person's key only", async () => {
    const vault = openSqlitePersonalDataVault({ vault: ":memory:", erasureRegister: ":memory:" });
    const sealed = await vault.seal("person-a", { name: NAME, role: "directrice générale" });
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("Jeanne");
    expect(await vault.open(sealed)).toEqual({ erased: false, value: { name: NAME, role: "directrice générale" } });
    await vault.seal("person-b", "anything");
    // The same ciphertext under another person's id: the key and the associated data both refuse it.
    const moved = sealed.replace("sealed:v1:person-a:", "sealed:v1:person-b:") as Sealed;
    await expect(vault.open(moved)).rejects.toThrow(/unable to authenticate|auth/i);
    await vault.close();
  });

  it("forgets a person: the key and contact bytes leave the file, sealed values read as erased, the id stays closed", async () => {
    const path = join(dir.path, "personal.db");
    const vault = openSqlitePersonalDataVault({ vault: path, erasureRegister: join(dir.path, "erasures.db") });
    const sealed = await vault.seal("person-jd", { name: NAME });
    await vault.saveContact("person-jd", { email: EMAIL });
    await vault.seal("person-other", { name: "Someone Else" });
    expect(bytesOf(path).includes(EMAIL)).toBe(true);

    await vault.forget({ personId: "person-jd", at: "2026-12-01T10:00:00.000Z", basis: "request" });
    expect(await vault.open(sealed)).toEqual({ erased: true });
    expect(await vault.contact("person-jd")).toBeNull();
    expect(await vault.forgottenAt("person-jd")).toBe("2026-12-01T10:00:00.000Z");
    await expect(vault.seal("person-jd", { name: NAME })).rejects.toBeInstanceOf(PersonForgottenError);
    await expect(vault.saveContact("person-jd", { email: EMAIL })).rejects.toBeInstanceOf(PersonForgottenError);
    await vault.close();
    const after = bytesOf(path);
    expect(after.includes(EMAIL)).toBe(false);
    expect(after.includes("person-other")).toBe(true);
  });

  it("leaves the log as it was: no plaintext in it ever, and hash chains and tree root unchanged by an erasure", async () => {
    const storePath = join(dir.path, "events.db");
    const store = openSqliteEventStore({ path: storePath });
    const vault = openSqlitePersonalDataVault({
      vault: join(dir.path, "personal-2.db"),
      erasureRegister: join(dir.path, "erasures-2.db"),
    });
    const sealed = await vault.seal("person-sig", { name: NAME, role: "présidente" });
    await store.appendToStream("person-sig", [
      { type: "PersonRecorded", data: { personId: "person-sig", sealed }, metadata: { actor: "dpo", commandId: "c1" } },
    ]);
    const root = async () => {
      const range = new CompactRange();
      for await (const event of store.readAll()) range.append(leafHash(leafInput(event)));
      return range.root().toString("hex");
    };
    const before = await root();
    expect(bytesOf(storePath).includes(NAME)).toBe(false);
    await vault.forget({ personId: "person-sig", at: "2026-12-01T11:00:00.000Z", basis: "request" });
    expect(await root()).toBe(before);
    expect(await verifyIntegrity(store)).toMatchObject({ ok: true, eventsChecked: 1 });
    for await (const event of store.readAll()) {
      expect(await vault.open((event.data as { sealed: Sealed }).sealed)).toEqual({ erased: true });
    }
    await store.close();
    await vault.close();
  });
});
