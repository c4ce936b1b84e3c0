import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import express from 'express';
import { ConsoleSignIn } from '../console-sign-in.js';
import { parseGatewayEnvironment } from '../gateway-environment.js';

const SECRET = 'console-sign-in-spec-secret-of-at-least-32-characters';
const servers: Server[] = [];

/** GET /console/config.json of a gateway with these settings, on a real HTTP server. */
async function configOf(env: ConstructorParameters<typeof ConsoleSignIn>[0]): Promise<{ status: number; body: unknown }> {
  const app = express();
  new ConsoleSignIn(env).mount(app);
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console/config.json`);
  return { status: response.status, body: await response.json() };
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const base = { OIDC_ISSUER: undefined, OIDC_AUDIENCE: undefined, OIDC_JWKS_TIMEOUT_MS: 500 };

describe('GET /console/config.json', () => {
  it('offers the development sign-in outside production without a console client, and none in production', async () => {
    await expect(configOf({ ...base, NODE_ENV: 'development', JWT_SECRET: SECRET })).resolves.toEqual({
      status: 200,
      body: { signIn: 'development' },
    });
    await expect(configOf({ ...base, NODE_ENV: 'production', JWT_SECRET: undefined })).resolves.toEqual({
      status: 200,
      body: { signIn: 'none' },
    });
  });

  it('answers 503 when the provider cannot be reached, instead of a sign-in that cannot work', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = await configOf({
      ...base,
      NODE_ENV: 'production',
      JWT_SECRET: undefined,
      // The discard port: nothing answers there.
      OIDC_ISSUER: 'http://127.0.0.1:9',
      OIDC_AUDIENCE: 'https://waste.example/api',
      CONSOLE_CLIENT_ID: 'district-console',
    });
    error.mockRestore();
    expect(answer.status).toBe(503);
  });
});

describe('CONSOLE_CLIENT_ID', () => {
  it('needs the identity provider', () => {
    expect(() => parseGatewayEnvironment({ NODE_ENV: 'development', JWT_SECRET: SECRET, CONSOLE_CLIENT_ID: 'district-console' })).toThrow(
      /CONSOLE_CLIENT_ID: needs OIDC_ISSUER/,
    );
  });
});
