/** Command-line parsing shared by the operator CLIs: `--help` answers, a bad option says what is accepted. */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Thrown to end a CLI early with an exit code, its message already printed. */
export class CommandLineExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(
  options: O,
  usage: string,
  args: string[] = process.argv.slice(2),
) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    throw new CommandLineExit(0);
  }
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    throw new CommandLineExit(2);
  }
}
