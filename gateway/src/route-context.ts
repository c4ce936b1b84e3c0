// Owns what every plain-HTTP route family needs from the gateway that mounts it.
import type { RequestHandler } from 'express';
import type { ProcessMetrics } from '#libs/platform';
import type { GatewayEnvironment } from './gateway-environment.js';
import type { RateLimits } from './rate-limit.js';

export interface RouteContext {
  env: GatewayEnvironment;
  /** Subgraph base URLs by name, as this gateway routes to them. */
  subgraphs: Map<string, string>;
  /** The CORS policy of CORS_ORIGINS, mounted in front of every browser-facing route. */
  corsPolicy: RequestHandler;
  limits: RateLimits;
  /** This gateway's Prometheus series (metrics-route.ts). */
  metrics: ProcessMetrics;
}
