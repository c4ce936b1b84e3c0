import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An institution API key: `wsk_<prefix>_<secret>`, the prefix 10 lowercase base32 characters (visible, for telling
 * keys apart in lists and logs), the secret 32 random bytes in base64url. Only SHA-256 of the whole key is stored:
 * with 256 random bits a fast hash is as safe as a slow one, and verification stays cheap on every request.
 */
const KEY_PATTERN = /^wsk_([a-z2-7]{10})_([A-Za-z0-9_-]{43})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface NewApiKey {
  prefix: string;
  key: string;
  hash: Buffer;
}

export function newApiKey(): NewApiKey {
  const prefix = `wsk_${[...randomBytes(10)].map((byte) => BASE32[byte & 31]).join('')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The visible prefix of a well-formed key (`wsk_…`), or null when the text cannot be a key. */
export function apiKeyPrefix(key: string): string | null {
  const match = KEY_PATTERN.exec(key);
  return match ? `wsk_${match[1]}` : null;
}

export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(key);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/**
 * A one-time enrolment code, `wse_` and 32 lowercase base32 characters (160 random bits): short enough to read out or
 * type, far too long to guess. Only its SHA-256 is stored, as for keys.
 */
const ENROLMENT_CODE_PATTERN = /^wse_[a-z2-7]{32}$/;

export function newEnrolmentCode(): { code: string; hash: Buffer } {
  const code = `wse_${[...randomBytes(32)].map((byte) => BASE32[byte & 31]).join('')}`;
  return { code, hash: hashApiKey(code) };
}

/** The hash to look a presented code up by, or null when the text cannot be a code. */
export function enrolmentCodeHash(code: string): Buffer | null {
  return ENROLMENT_CODE_PATTERN.test(code) ? hashApiKey(code) : null;
}
