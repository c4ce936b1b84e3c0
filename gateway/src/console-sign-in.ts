// Owns what the console needs to know to sign officials in: GET /console/config.json says which sign-in the console
// shows (the identity provider's, the development one, or none) and, for the provider's, where its endpoints are. The
// console then runs the authorization code flow with PKCE itself, as a public client (console/src/oidc.ts).
import express from 'express';
import { z } from 'zod';
import { unsetIfEmpty } from '#libs/config';
import type { GatewayEnvironment } from './gateway-environment.js';
import { discover, type Endpoints } from './operations-oidc-client.js';

export const consoleEnvironmentShape = {
  /**
   * The client id the identity provider registered for the console: a public client (no secret; authorization code
   * with PKCE, S256), redirect URI `<console origin>/sign-in/callback`. Unset: outside production the development
   * sign-in; in production no sign-in page.
   */
  CONSOLE_CLIENT_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
};

/** What the field-by-field validation cannot see: the console's sign-in needs the provider. */
export function consoleEnvironmentProblems(env: Record<string, string | undefined>): string[] {
  const given = (name: string) => typeof env[name] === 'string' && env[name].trim() !== '';
  return given('CONSOLE_CLIENT_ID') && !given('OIDC_ISSUER')
    ? ['CONSOLE_CLIENT_ID: needs OIDC_ISSUER (the provider officials sign in with)']
    : [];
}

export type ConsoleConfig =
  | {
      signIn: 'oidc';
      issuer: string;
      clientId: string;
      /** The resource indicator the access token is asked for (OIDC_AUDIENCE), so the gateway accepts it. */
      audience: string | null;
      authorizationEndpoint: string;
      tokenEndpoint: string;
      endSessionEndpoint: string | null;
    }
  | { signIn: 'development' | 'none' };

type Discovered = Endpoints & { end_session_endpoint?: string };

/** The provider's endpoints, found once and kept; a failed discovery is tried again on the next request. */
export class ConsoleSignIn {
  private endpoints?: Promise<Discovered>;
  private tokenOrigin?: string;

  constructor(
    private readonly env: Pick<GatewayEnvironment, 'NODE_ENV' | 'JWT_SECRET' | 'OIDC_ISSUER' | 'OIDC_AUDIENCE' | 'OIDC_JWKS_TIMEOUT_MS'> & {
      CONSOLE_CLIENT_ID?: string;
    },
  ) {}

  get enabled(): boolean {
    return Boolean(this.env.CONSOLE_CLIENT_ID && this.env.OIDC_ISSUER);
  }

  /**
   * The origins the console's page may connect to besides its own: the provider's (for the token exchange), and the
   * token endpoint's once discovery named it, should the provider serve it elsewhere.
   */
  connectOrigins(): string[] {
    if (!this.enabled) return [];
    return [...new Set([new URL(this.env.OIDC_ISSUER!).origin, ...(this.tokenOrigin ? [this.tokenOrigin] : [])])];
  }

  async config(): Promise<ConsoleConfig> {
    if (!this.enabled) return { signIn: this.env.NODE_ENV !== 'production' && this.env.JWT_SECRET ? 'development' : 'none' };
    this.endpoints ??= discover(this.env as GatewayEnvironment).catch((error: unknown) => {
      this.endpoints = undefined;
      throw error;
    });
    const found = await this.endpoints;
    this.tokenOrigin = new URL(found.token_endpoint).origin;
    return {
      signIn: 'oidc',
      issuer: this.env.OIDC_ISSUER!,
      clientId: this.env.CONSOLE_CLIENT_ID!,
      audience: this.env.OIDC_AUDIENCE ?? null,
      authorizationEndpoint: found.authorization_endpoint,
      tokenEndpoint: found.token_endpoint,
      endSessionEndpoint: found.end_session_endpoint ?? null,
    };
  }

  mount(app: express.Express): void {
    app.get('/console/config.json', (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      this.config().then(
        (config) => res.json(config),
        (error: unknown) => {
          console.error(
            `Console sign-in: the identity provider's discovery failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'the identity provider is unreachable' } });
        },
      );
    });
  }
}
