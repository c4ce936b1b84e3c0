// Owns `GET /metrics`: the gateway's request and GraphQL operation series in the Prometheus text format.
import type { Express } from 'express';
import { createProcessMetrics, type ProcessMetrics } from '#libs/platform';

/**
 * Times every request from here on (mount it before the routes) and serves the series. Not for the internet: the
 * ingress routes only the public paths to this port (docs/operations.md, "Metrics").
 */
export function mountMetrics(app: Express): ProcessMetrics {
  const metrics = createProcessMetrics('gateway');
  app.use(metrics.httpMiddleware);
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.scrape();
    res.type(contentType).send(body);
  });
  return metrics;
}
