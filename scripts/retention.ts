/**
 * `npm run retention -- [--as-of YYYY-MM-DD] [--apply]`: the retention policy from the shell or a scheduled run.
 * Lists who is due (a dry run), or with --apply forgets them, each erasure recorded as `PersonForgotten` (basis
 * retention, actor `retention`). PASSERELLE_RETENTION_YEARS sets the policy; the services may stay up.
 */
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { openEventStore } from "../events/open-event-store";
import { personDecider } from "../domain/people/person.decider";
import { handleCommand } from "../services/common/command-handler";
import { CommandLineExit, parseCommandLine } from "../services/common/command-line";
import { ConfigError, EnvReader, personalDataFiles, retentionPolicy, storageConfig } from "../services/common/config";
import { dueForRetention } from "../services/partnerships/retention";

const USAGE = "usage: retention [--as-of YYYY-MM-DD] [--apply]";

async function main(): Promise<number> {
  const { values } = parseCommandLine(
    { "as-of": { type: "string" }, apply: { type: "boolean", default: false } },
    USAGE,
  );
  const reader = new EnvReader(process.env);
  const policy = retentionPolicy(reader);
  reader.done();
  const asOf = values["as-of"] ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    process.stderr.write(`--as-of takes a day, YYYY-MM-DD\n${USAGE}\n`);
    return 2;
  }
  const config = storageConfig();
  const store = openEventStore(config);
  const vault = openSqlitePersonalDataVault(personalDataFiles(config));
  try {
    const due = await dueForRetention(store, policy, asOf);
    process.stdout.write(
      `retention as of ${asOf}, ${policy.yearsAfterTermination} years after a partnership ends: ${due.length} due\n`,
    );
    for (const person of due) {
      process.stdout.write(`  ${person.personId} (${person.partnershipId} ended ${person.terminatedOn})\n`);
      if (!values.apply) continue;
      const now = new Date().toISOString();
      await vault.forget({ personId: person.personId, at: now, basis: "retention" });
      await handleCommand(store, personDecider, {
        type: "ForgetPerson",
        data: { personId: person.personId, basis: "retention" },
        metadata: { commandId: `retention:${asOf}:${person.personId}`, actor: "retention", now },
      });
    }
    if (due.length > 0 && !values.apply) process.stdout.write("(a dry run: --apply forgets them)\n");
    return 0;
  } finally {
    await vault.close();
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CommandLineExit) process.exit(error.exitCode);
    process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
