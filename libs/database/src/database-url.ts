/** Each service has its own database on the shared server, named `<prefix><service>` (e.g. `waste_households`). */
export function serviceDatabaseName(service: string, prefix = 'waste_'): string {
  const name = `${prefix}${service}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid database name ${name}`);
  return name;
}

/** The server URL with its database part replaced by `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** host:port of a database URL, for messages that must never contain a password. */
export function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
