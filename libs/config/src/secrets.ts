import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** The shared secrets every process that reads one must be given: none has a default, in any NODE_ENV. */
export const SECRET_NAMES = ['JWT_SECRET', 'CONTEXT_SIGNING_SECRET', 'WEBHOOK_SECRET_KEY'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * The gateway's Ed25519 key pair for signing its calls to subgraphs: the private key (PKCS8 PEM) only the gateway
 * holds, the public key (SPKI PEM) every subgraph holds. Each is stored base64-encoded, so a PEM fits one env line
 * (`decodePem` accepts that form and a plain PEM).
 */
export const KEY_PAIR_NAMES = ['GATEWAY_SIGNING_KEY', 'GATEWAY_VERIFY_KEY'] as const;

/** Everything `npm start` generates into the local env file on a fresh clone (and a test run mints for itself). */
export const DEVELOPMENT_SECRET_NAMES = [...SECRET_NAMES, ...KEY_PAIR_NAMES] as const;
export type DevelopmentSecretName = (typeof DEVELOPMENT_SECRET_NAMES)[number];

/**
 * Values that were ever committed to this repository as secrets: the old development fallbacks (docker-compose.yml
 * and the config library passed them) and the "wrong secret" literals of tests. Anybody can sign with them, so a
 * process refuses every one of them at boot whatever NODE_ENV says.
 */
export const PUBLISHED_SECRETS: readonly string[] = Object.freeze([
  'development-only-jwt-secret-change-me-0123456789',
  'development-only-context-signing-secret-0123456789',
  'development-only-webhook-secret-key-0123456789',
  'not-the-platform-secret-0123456789abcdef',
  'x'.repeat(40),
  'k'.repeat(40),
]);

const PUBLISHED = new Set(PUBLISHED_SECRETS);

export function isPublishedSecret(value: string): boolean {
  return PUBLISHED.has(value) || PUBLISHED.has(value.trim());
}

/** A PEM as one env line: base64 of the whole PEM text. */
export function encodePem(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** The PEM behind an env value: base64 of a PEM (as generated), or a PEM pasted as is (`\n` escapes allowed). */
export function decodePem(value: string): string {
  const text = value.trim();
  if (text.startsWith('-----BEGIN ')) return text.replace(/\\n/g, '\n');
  return Buffer.from(text, 'base64').toString('utf8');
}

/** Fresh random values for every development secret: 32 random bytes as hex, and a new Ed25519 pair. */
export function generateDevelopmentSecrets(): Record<DevelopmentSecretName, string> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    JWT_SECRET: randomBytes(32).toString('hex'),
    CONTEXT_SIGNING_SECRET: randomBytes(32).toString('hex'),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    GATEWAY_SIGNING_KEY: encodePem(privateKey),
    GATEWAY_VERIFY_KEY: encodePem(publicKey),
  };
}
