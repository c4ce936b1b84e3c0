import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A user of the test provider: a client-credentials client whose id becomes the token's `sub`, with its claims. */
export interface ProviderUser {
  claims: Record<string, unknown>;
  /** Seconds the user's access tokens live (default 300). */
  ttlSeconds?: number;
}

/**
 * A browser client (authorization code with PKCE, a public client): people sign in at the provider's development
 * login form with an account name of `users`, whose claims their access tokens carry.
 */
export interface BrowserClient {
  clientId: string;
  redirectUri: string;
}

export interface TestIdentityProvider {
  issuer: string;
  /** An access token (a JWT) for `user`, issued for the resource indicator `audience`. */
  accessToken(user: string, audience: string): Promise<string>;
  /** Publishes a new signing key (of `alg`) and signs with it from now on; the previous keys stay published. */
  rotate(alg: 'RS256' | 'ES256' | 'EdDSA'): Promise<string>;
  /** Stops publishing the key `kid`. */
  retire(kid: string): Promise<void>;
  /** The kid tokens are signed with now. */
  signingKid(): string;
  stop(): Promise<void>;
}

type SigningKey = JWK & { kid: string; alg: string };

/**
 * A real OpenID provider (`oidc-provider`) on a free loopback port: discovery, JWKS and a token endpoint issuing
 * JWT access tokens (RFC 9068, `typ: at+jwt`) by the client-credentials grant with resource indicators. Rotating
 * its keys restarts the provider behind the same address with the new key set, as a redeploy of a provider does.
 */
export async function startIdentityProvider(
  users: Record<string, ProviderUser>,
  firstAlg: 'RS256' | 'ES256' | 'EdDSA' = 'RS256',
  browserClient?: BrowserClient,
): Promise<TestIdentityProvider> {
  const { default: Provider } = await quietly(() => import('oidc-provider'));
  let keys: SigningKey[] = [];
  let provider: InstanceType<typeof Provider>;
  let generation = 0;
  const server: Server = createServer((req, res) => provider.callback()(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secret = (user: string) => `secret-of-${user}-0123456789abcdef`;
  /** The user a client id names, if any (oidc-provider also asks about clients it does not know). */
  const userOf = (clientId: string | undefined) => (clientId !== undefined && Object.hasOwn(users, clientId) ? users[clientId] : undefined);

  const configure = async () => {
    const signing = keys[0];
    const ttl = (client: { clientId: string } | undefined) => userOf(client?.clientId)?.ttlSeconds ?? 300;
    provider = await quietly(
      () =>
        new Provider(issuer, {
          jwks: { keys },
          clients: [
            ...Object.keys(users).map((user) => ({
              client_id: user,
              client_secret: secret(user),
              grant_types: ['client_credentials'],
              redirect_uris: [],
              response_types: [],
              token_endpoint_auth_method: 'client_secret_post',
              id_token_signed_response_alg: signing.alg,
            })),
            ...(browserClient
              ? [
                  {
                    client_id: browserClient.clientId,
                    grant_types: ['authorization_code'],
                    redirect_uris: [browserClient.redirectUri],
                    response_types: ['code'],
                    token_endpoint_auth_method: 'none',
                    id_token_signed_response_alg: signing.alg,
                  },
                ]
              : []),
          ],
          // The browser client's sign-in (the provider's development login and consent forms): the account is the login name.
          // A public browser client (the console) exchanges its code from the page: CORS for its redirect URIs' origins.
          clientBasedCORS: (_ctx: unknown, origin: string, client: { clientAuthMethod: string; redirectUris: string[] }) =>
            client.clientAuthMethod === 'none' && client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
          findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
          features: {
            devInteractions: { enabled: browserClient !== undefined },
            clientCredentials: { enabled: true },
            resourceIndicators: {
              enabled: true,
              defaultResource: () => undefined,
              useGrantedResource: () => true,
              getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => ({
                scope: 'api',
                audience: resource,
                accessTokenFormat: 'jwt',
                accessTokenTTL: ttl(client),
                jwt: { sign: { alg: signing.alg } },
              }),
            },
          },
          ttl: {
            // The browser client's artifacts, set so the provider does not note its defaults on the console.
            Interaction: 600,
            Session: 3600,
            Grant: 3600,
            AccessToken: 300,
            IdToken: 300,
            ClientCredentials: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
              token.resourceServer?.accessTokenTTL ?? 300,
          },
          extraTokenClaims: (_ctx: unknown, token: { clientId: string; accountId?: string }) =>
            userOf(token.accountId ?? token.clientId)?.claims,
        }),
    );
  };

  const rotate = async (alg: 'RS256' | 'ES256' | 'EdDSA') => {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `key-${++generation}-${alg.toLowerCase()}`;
    keys = [{ ...(await exportJWK(privateKey)), kid, alg, use: 'sig' }, ...keys];
    await configure();
    return kid;
  };
  await rotate(firstAlg);

  return {
    issuer,
    async accessToken(user, audience) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: user,
          client_secret: secret(user),
          resource: audience,
          scope: 'api',
        }),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!response.ok || !body.access_token) throw new Error(`the provider issued no token for ${user}: ${body.error_description}`);
      return body.access_token;
    },
    rotate,
    async retire(kid) {
      keys = keys.filter((key) => key.kid !== kid);
      await configure();
    },
    signingKid: () => keys[0].kid,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** oidc-provider warns about its development defaults (in-memory storage, runtime) on the console: not test output. */
async function quietly<T>(work: () => T | Promise<T>): Promise<T> {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    return await work();
  } finally {
    warn.mockRestore();
    info.mockRestore();
  }
}
