// Owns `GET /health`, `/health/live` and `/health/ready`. `/health` is the aggregate: healthy when every subgraph it
// routes to answers its own health check. Liveness asks nothing outside the process. Readiness is whether this gateway
// can serve: it plans queries from its supergraph, so a down subgraph only fails that subgraph's fields; it turns 503
// from the moment the process starts shutting down, so a load balancer stops sending requests first.
import type { Express } from 'express';

export interface HealthState {
  /** Whether the supergraph is loaded and operations can be planned. */
  planning(): boolean;
  /** Whether the process is shutting down. */
  draining(): boolean;
}

export function mountHealthRoute(app: Express, subgraphs: Map<string, string>, state: HealthState): void {
  app.get('/health', async (_req, res) => {
    const checks = Object.fromEntries(
      await Promise.all([...subgraphs].map(async ([name, url]) => [name, await probe(new URL('/health', url).toString())] as const)),
    );
    const healthy = Object.values(checks).every((status) => status === 'up');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', service: 'gateway', checks });
  });
  app.get('/health/live', (_req, res) => {
    res.status(200).json({ status: 'ok', service: 'gateway' });
  });
  app.get('/health/ready', (_req, res) => {
    const checks = { supergraph: state.planning() ? 'up' : 'down', draining: state.draining() };
    const ready = checks.supergraph === 'up' && !checks.draining;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', service: 'gateway', checks });
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
