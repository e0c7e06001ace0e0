/**
 * Settings of an EventStoreDB connection string, read as `@eventstore/db-client` reads them, without loading the
 * client (the configuration check runs in every process, the gateway's too).
 */

/** A setting's last value (keys in any case, `-` and `_` ignored, as the client matches them); undefined if unset. */
export function connectionSetting(connectionString: string, name: string): string | undefined {
  const wanted = name.toLowerCase().replace(/[_-]/g, "");
  const query = connectionString.includes("?") ? connectionString.slice(connectionString.indexOf("?") + 1) : "";
  let value: string | undefined;
  for (const pair of query.split("&")) {
    const [key = "", raw] = pair.split("=");
    if (key.trim().toLowerCase().replace(/[_-]/g, "") === wanted) value = raw?.trim();
  }
  return value;
}
