/** BullMQ connection options for a redis:// or rediss:// URL (workers need maxRetriesPerRequest: null). */
export function bullConnection(url: string) {
  return { url, maxRetriesPerRequest: null };
}

export function describeRedis(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
