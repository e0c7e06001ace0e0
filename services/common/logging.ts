/** JSON logs (pino), one logger per process, level from PASSERELLE_LOG_LEVEL (default info). */
import pino, { type Logger } from "pino";
import { ConfigError } from "./config";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.PASSERELLE_LOG_LEVEL ?? "info";
  if (!LEVELS.includes(level))
    throw new ConfigError([`PASSERELLE_LOG_LEVEL must be one of ${LEVELS.join(", ")} (got ${JSON.stringify(level)})`]);
  return pino({ name, level });
}
