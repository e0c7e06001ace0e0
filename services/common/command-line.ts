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

/**
 * Runs an operator CLI's main and exits with its code. An error it expects (`expected`: a refusal with a message
 * written for the operator) is printed as its message; any other with its stack, as a bug. Exit code 1.
 */
export function runCommandLine(main: () => Promise<number>, expected: (error: unknown) => boolean): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof CommandLineExit) process.exit(error.exitCode);
      const text = expected(error) ? (error as Error).message : ((error as Error)?.stack ?? String(error));
      process.stderr.write(`${text}\n`);
      process.exit(1);
    },
  );
}
