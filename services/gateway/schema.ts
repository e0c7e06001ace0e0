/** `npm run schema`: writes schema/<subgraph>.graphql and schema/supergraph.graphql from the code. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../common/paths";
import { generateSchemas } from "./compose";

export const SCHEMA_DIR = join(repoRoot(), "schema");

async function main(): Promise<void> {
  const { subgraphs, supergraph } = await generateSchemas();
  for (const [name, sdl] of Object.entries(subgraphs)) writeFileSync(join(SCHEMA_DIR, `${name}.graphql`), sdl);
  writeFileSync(join(SCHEMA_DIR, "supergraph.graphql"), supergraph);
  process.stdout.write(`wrote ${Object.keys(subgraphs).length} subgraph schemas and the supergraph to ${SCHEMA_DIR}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
