import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SecretBox } from '../secret-box.js';
import { newSigningSecret } from '../webhook-signature.js';

describe('webhook secrets at rest', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('seals a secret so that it opens only for the same row, under the same key', () => {
    const secret = newSigningSecret();
    const sealed = box.seal(secret, 'row-1');
    expect(sealed.toString('latin1')).not.toContain(secret.slice(6, 20));
    expect(sealed.toString('base64')).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed, 'row-1')).toBe(secret);
    expect(() => box.open(sealed, 'row-2')).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('hex')).open(sealed, 'row-1')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(tampered, 'row-1')).toThrow();
  });

  it('uses a fresh nonce every time', () => {
    const secret = newSigningSecret();
    expect(box.seal(secret, 'row').equals(box.seal(secret, 'row'))).toBe(false);
  });
});
