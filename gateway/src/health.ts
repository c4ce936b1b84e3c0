// Owns `GET /health`: the gateway is healthy when every subgraph it routes to answers its own health check.
import type { Express } from 'express';

export function mountHealthRoute(app: Express, subgraphs: Map<string, string>): void {
  app.get('/health', async (_req, res) => {
    const checks = Object.fromEntries(
      await Promise.all([...subgraphs].map(async ([name, url]) => [name, await probe(new URL('/health', url).toString())] as const)),
    );
    const healthy = Object.values(checks).every((status) => status === 'up');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', service: 'gateway', checks });
  });
}

async function probe(url: string): Promise<'up' | 'down'> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? 'up' : 'down';
  } catch {
    return 'down';
  }
}
