import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { newSigningSecret, secretPrefix, signWebhook, webhookHeaders } from '../webhook-signature.js';

/** The Standard Webhooks specification's published test vector (also in its reference libraries' tests). */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the published test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('signs exactly as the standardwebhooks library does, for fresh secrets and unicode bodies', () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ type: 'notice.created', data: { noticeId: 'x', note: '表扬信 ✓' } });
    expect(signWebhook(secret, 'msg_1', 1_700_000_000, body)).toBe(new Webhook(secret).sign('msg_1', new Date(1_700_000_000_000), body));
  });

  it('makes whsec_ secrets of 32 random bytes, and shows only their start', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
    expect(secretPrefix(secret)).toBe(secret.slice(0, 10));
  });

  it('carries one signature per secret, and a receiver holding either secret verifies the request', () => {
    const [fresh, old, stranger] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
    const body = '{"type":"notice.created"}';
    const headers = webhookHeaders([fresh, old], 'msg_2', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature'].split(' ')[0]).toBe(signWebhook(fresh, 'msg_2', Number(headers['webhook-timestamp']), body));
    expect(new Webhook(fresh).verify(body, headers)).toEqual({ type: 'notice.created' });
    expect(new Webhook(old).verify(body, headers)).toEqual({ type: 'notice.created' });
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(fresh).verify(`${body} `, headers)).toThrow(/No matching signature/);
  });
});
