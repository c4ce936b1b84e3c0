import { describe, expect, it } from '@jest/globals';
import { internalAddressKind, parseWebhookUrl, resolveWebhookTarget, WebhookUrlError, type Lookup, type UrlPolicy } from '../url-policy.js';

const development: UrlPolicy = { production: false, allowedHosts: new Set() };
const production: UrlPolicy = { production: true, allowedHosts: new Set() };

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUrlError);
    return (error as WebhookUrlError).reason;
  }
  throw new Error('expected a WebhookUrlError');
}

async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUrlError);
    return { reason: (error as WebhookUrlError).reason, message: (error as Error).message };
  }
  throw new Error('expected a WebhookUrlError');
}

/** A resolver answering from a table, as DNS would. */
const dns =
  (table: Record<string, string[]>): Lookup =>
  (host) => {
    const addresses = new Map(Object.entries(table)).get(host);
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };

describe('webhook URL text', () => {
  it('takes only https in production, http as well elsewhere', () => {
    expect(reasonOf(() => parseWebhookUrl('http://school.example/hooks', production))).toBe('URL_NOT_HTTPS');
    expect(parseWebhookUrl('https://school.example/hooks?x=1', production).href).toBe('https://school.example/hooks?x=1');
    expect(parseWebhookUrl('http://school.example/hooks', development).protocol).toBe('http:');
  });

  it('refuses what is not an http(s) URL, or carries credentials or a fragment', () => {
    for (const text of [
      '',
      'school.example/hooks',
      'ftp://school.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      `https://a.example/${'x'.repeat(2100)}`,
    ]) {
      expect(reasonOf(() => parseWebhookUrl(text, development))).toBe('INVALID_URL');
    }
    expect(reasonOf(() => parseWebhookUrl('https://user:pw@school.example/', development))).toBe('INVALID_URL');
    expect(reasonOf(() => parseWebhookUrl('https://school.example/#part', development))).toBe('INVALID_URL');
  });
});

describe('addresses webhooks may not go to', () => {
  it('names loopback, private, CGNAT, link-local and metadata, this-network, multicast and reserved IPv4 ranges', () => {
    const internal = [
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '100.127.255.255',
      '169.254.169.254',
      '169.254.0.1',
      '0.0.0.0',
      '0.1.2.3',
      '224.0.0.1',
      '239.255.255.255',
      '240.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '192.0.2.1',
    ];
    for (const address of internal) expect([address, internalAddressKind(address)]).toEqual([address, expect.any(String)]);
    expect(internalAddressKind('169.254.169.254')).toMatch(/link-local/);
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '11.0.0.1',
      '223.255.255.255',
    ]) {
      expect([address, internalAddressKind(address)]).toEqual([address, null]);
    }
  });

  it('names their IPv6 counterparts, IPv4 addresses in IPv6 form included', () => {
    const internal = [
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'fe80::1%eth0',
      'febf::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:A9FE:A9FE',
      '::ffff:10.0.0.1',
      '::ffff:192.168.0.1',
      '64:ff9b::10.0.0.1',
      '2002:7f00:1::',
      '2002:a9fe:a9fe::1',
      '::127.0.0.1',
      '2001:db8::1',
    ];
    for (const address of internal) expect([address, internalAddressKind(address)]).toEqual([address, expect.any(String)]);
    expect(internalAddressKind('::ffff:169.254.169.254')).toMatch(/link-local.*IPv6 form/);
    for (const address of ['2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1']) {
      expect([address, internalAddressKind(address)]).toEqual([address, null]);
    }
  });

  it('treats anything that is not an IP address as not allowed', () => {
    expect(internalAddressKind('localhost')).not.toBeNull();
    expect(internalAddressKind('1::2::3')).not.toBeNull();
  });
});

describe('resolving a webhook URL', () => {
  const resolve = (text: string, policy: UrlPolicy, table: Record<string, string[]> = {}) =>
    resolveWebhookTarget(parseWebhookUrl(text, policy), policy, dns(table));

  it('pins a public address the host resolves to', async () => {
    await expect(
      resolve('https://hooks.school.example/in', production, { 'hooks.school.example': ['203.0.114.7', '2606:4700::1'] }),
    ).resolves.toEqual({
      address: '203.0.114.7',
      family: 4,
    });
  });

  it('refuses loopback, private and metadata addresses, written out or behind a name', async () => {
    for (const text of [
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://10.0.0.5/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://[::ffff:127.0.0.1]/',
      'http://0/',
    ]) {
      expect((await refusal(resolve(text, development))).reason).toBe('URL_NOT_ALLOWED');
    }
    expect(await refusal(resolve('http://10.0.0.5/', development))).toEqual({
      reason: 'URL_NOT_ALLOWED',
      message: '10.0.0.5 is a private address; webhooks go only to public addresses',
    });
    const named = await refusal(resolve('https://internal.school.example/', production, { 'internal.school.example': ['192.168.3.4'] }));
    expect(named).toEqual({
      reason: 'URL_NOT_ALLOWED',
      message: 'internal.school.example must resolve, and only to public internet addresses; webhooks go only there',
    });
  });

  it('refuses a host with any internal address among public ones', async () => {
    const table = { 'mixed.example': ['93.184.216.34', '127.0.0.1'] };
    expect((await refusal(resolve('https://mixed.example/', production, table))).reason).toBe('URL_NOT_ALLOWED');
  });

  it('refuses a host name in one way whether it resolves inside, not at all or not in time: nothing tells what it resolves to', async () => {
    const refusals = [
      await refusal(resolve('https://nowhere.example/', production)),
      await refusal(resolve('https://db.example/', production, { 'db.example': ['10.1.2.3'] })),
      await refusal(resolve('https://mixed.example/', production, { 'mixed.example': ['93.184.216.34', '169.254.169.254'] })),
      await refusal(
        resolveWebhookTarget(new URL('https://slow.example/'), production, () =>
          Promise.reject(Object.assign(new Error('x'), { code: 'ETIMEOUT' })),
        ),
      ),
    ];
    expect(refusals.map((r) => r.message.replace(/^\S+/, '<host>'))).toEqual(
      Array(4).fill('<host> must resolve, and only to public internet addresses; webhooks go only there'),
    );
    expect(new Set(refusals.map((r) => r.reason))).toEqual(new Set(['URL_NOT_ALLOWED']));
    for (const { message } of refusals) expect(message).not.toMatch(/\d+\.\d+\.\d+\.\d+|ENOTFOUND|ETIMEOUT/);
  });

  it('lets the allowlist through, by address or by host name, and nothing else', async () => {
    const byAddress: UrlPolicy = { production: false, allowedHosts: new Set(['127.0.0.1']) };
    await expect(resolve('http://127.0.0.1:9000/hook', byAddress)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolve('http://[::ffff:7f00:1]:9000/hook', byAddress)).resolves.toEqual({ address: '::ffff:7f00:1', family: 6 });
    expect((await refusal(resolve('http://127.0.0.2/', byAddress))).reason).toBe('URL_NOT_ALLOWED');
    expect((await refusal(resolve('http://[::1]/', byAddress))).reason).toBe('URL_NOT_ALLOWED');
    const byName: UrlPolicy = { production: false, allowedHosts: new Set(['receiver.local']) };
    await expect(resolve('http://receiver.local/', byName, { 'receiver.local': ['10.0.0.9'] })).resolves.toEqual({
      address: '10.0.0.9',
      family: 4,
    });
    expect((await refusal(resolve('http://other.local/', byName, { 'other.local': ['10.0.0.9'] }))).reason).toBe('URL_NOT_ALLOWED');
  });
});
