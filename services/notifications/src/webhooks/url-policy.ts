import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where webhooks may go. A webhook URL is chosen by an outsider, so without these checks the platform would POST
 * to whatever it names inside our network (databases, the metadata service, the subgraphs): server-side request
 * forgery. The URL is checked at registration AND at every delivery, and the request connects to the very address
 * that was checked (pinned), so a DNS answer that changes in between (rebinding) cannot steer it inside.
 */

export type UrlRefusal = 'INVALID_URL' | 'URL_NOT_HTTPS' | 'URL_NOT_ALLOWED';

export class WebhookUrlError extends Error {
  constructor(
    readonly reason: UrlRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

export interface UrlPolicy {
  /** Production accepts only https. */
  production: boolean;
  /** Hostnames and IP addresses exempt from the address checks (local testing), lower case. */
  allowedHosts: ReadonlySet<string>;
}

/** The address a request connects to, after checking. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const MAX_URL_LENGTH = 2048;
const DNS_TIMEOUT_MS = 5000;

/** Parses and checks the URL text (scheme, credentials, length); the host is checked by `resolveWebhookTarget`. */
export function parseWebhookUrl(text: string, policy: UrlPolicy): URL {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL_LENGTH || !URL.canParse(trimmed)) {
    throw new WebhookUrlError('INVALID_URL', `url must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters`);
  }
  const url = new URL(trimmed);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('INVALID_URL', 'url must be an http(s) URL');
  if (policy.production && url.protocol !== 'https:') throw new WebhookUrlError('URL_NOT_HTTPS', 'url must use https');
  if (url.username || url.password) throw new WebhookUrlError('INVALID_URL', 'url must not carry a user name or password');
  if (url.hash) throw new WebhookUrlError('INVALID_URL', 'url must not have a #fragment');
  if (!url.hostname) throw new WebhookUrlError('INVALID_URL', 'url must name a host');
  return url;
}

/**
 * Resolves the URL's host (every address it has) and returns the one to connect to. Refuses the URL when any
 * address is internal, unless the host or that address is in the allowlist.
 *
 * A host name is refused in one way whatever the reason (no address, no answer in time, an internal address): the
 * resolver is inside our network, so telling an outsider what a name resolves to, or whether it resolves at all,
 * would map the network for them. An address written in the URL is named with what it is, as the caller wrote it.
 */
export async function resolveWebhookTarget(url: URL, policy: UrlPolicy, lookup: Lookup = systemLookup): Promise<PinnedAddress> {
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await withTimeout(lookup(host), DNS_TIMEOUT_MS);
    } catch {
      throw hostRefused(host);
    }
    if (addresses.length === 0) throw hostRefused(host);
  }
  const hostAllowed = policy.allowedHosts.has(host);
  for (const { address } of addresses) {
    if (hostAllowed || isAllowlisted(address, policy.allowedHosts)) continue;
    const why = internalAddressKind(address);
    if (why) throw host === address ? new WebhookUrlError('URL_NOT_ALLOWED', `${address} is ${why}; webhooks go only to public addresses`) : hostRefused(host);
  }
  const [first] = addresses;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function hostRefused(host: string): WebhookUrlError {
  return new WebhookUrlError('URL_NOT_ALLOWED', `${host} must resolve, and only to public internet addresses; webhooks go only there`);
}

function isAllowlisted(address: string, allowed: ReadonlySet<string>): boolean {
  const canonical = canonicalIp(address);
  for (const entry of allowed) if (isIP(entry) && canonicalIp(entry) === canonical) return true;
  return false;
}

async function systemLookup(hostname: string) {
  return dnsLookup(hostname, { all: true, verbatim: true });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), ms);
    }),
  ]);
}

interface Range {
  bytes: number[];
  bits: number;
  kind: string;
}

function v4(cidr: string, kind: string): Range {
  const [address, bits] = cidr.split('/');
  return { bytes: address.split('.').map(Number), bits: Number(bits), kind };
}

function v6(cidr: string, kind: string): Range {
  const [address, bits] = cidr.split('/');
  return { bytes: [...parseIpv6(address)!], bits: Number(bits), kind };
}

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const IPV4_INTERNAL: Range[] = [
  v4('0.0.0.0/8', 'a "this network" address'),
  v4('10.0.0.0/8', 'a private address'),
  v4('100.64.0.0/10', 'a carrier-grade NAT address'),
  v4('127.0.0.0/8', 'a loopback address'),
  v4('169.254.0.0/16', 'a link-local address (cloud metadata lives there)'),
  v4('172.16.0.0/12', 'a private address'),
  v4('192.0.0.0/24', 'a reserved address'),
  v4('192.0.2.0/24', 'a documentation address'),
  v4('192.88.99.0/24', 'a reserved address'),
  v4('192.168.0.0/16', 'a private address'),
  v4('198.18.0.0/15', 'a benchmarking address'),
  v4('198.51.100.0/24', 'a documentation address'),
  v4('203.0.113.0/24', 'a documentation address'),
  v4('224.0.0.0/4', 'a multicast address'),
  v4('240.0.0.0/4', 'a reserved address'),
];

/** IPv6 ranges that are not the public internet; those embedding an IPv4 address are judged by it instead. */
const IPV6_INTERNAL: Range[] = [
  v6('::/128', 'the unspecified address'),
  v6('::1/128', 'a loopback address'),
  v6('::/96', 'a reserved (IPv4-compatible) address'),
  v6('64:ff9b:1::/48', 'a local-use NAT64 address'),
  v6('100::/64', 'a discard-only address'),
  v6('2001::/23', 'a reserved (IETF protocol) address'),
  v6('2001:db8::/32', 'a documentation address'),
  v6('fc00::/7', 'a unique-local (private) address'),
  v6('fe80::/10', 'a link-local address'),
  v6('fec0::/10', 'a site-local address'),
  v6('ff00::/8', 'a multicast address'),
];

/** IPv6 prefixes that carry an IPv4 address, and where: IPv4-mapped, NAT64, 6to4. */
const IPV4_CARRIERS: { range: Range; offset: number }[] = [
  { range: v6('::ffff:0:0/96', ''), offset: 12 },
  { range: v6('64:ff9b::/96', ''), offset: 12 },
  { range: v6('2002::/16', ''), offset: 2 },
];

function inRange(bytes: ArrayLike<number>, range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

/**
 * What kind of internal address `address` is (loopback, private, link-local, …), or null for a public one.
 * Anything that is not a well-formed IP address counts as internal.
 */
export function internalAddressKind(address: string): string | null {
  const bytes = parseIp(address);
  if (!bytes) return 'not a valid IP address';
  if (bytes.length === 4) return IPV4_INTERNAL.find((range) => inRange(bytes, range))?.kind ?? null;
  for (const { range, offset } of IPV4_CARRIERS) {
    if (inRange(bytes, range)) {
      const embedded = bytes.slice(offset, offset + 4);
      const kind = IPV4_INTERNAL.find((r) => inRange(embedded, r))?.kind;
      return kind ? `${kind} in IPv6 form` : null;
    }
  }
  return IPV6_INTERNAL.find((range) => inRange(bytes, range))?.kind ?? null;
}

/** The address as bytes (4 or 16), or null when it is not an IP address. */
export function parseIp(address: string): Uint8Array | null {
  const plain = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(plain);
  if (family === 4) return Uint8Array.from(plain.split('.').map(Number));
  if (family === 6) return parseIpv6(plain);
  return null;
}

/** A canonical text of an IP address, so `::FFFF:7f00:1`, `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function canonicalIp(address: string): string | null {
  const bytes = parseIp(address);
  if (!bytes) return null;
  const mapped = bytes.length === 16 && inRange(bytes, IPV4_CARRIERS[0].range);
  return Buffer.from(mapped ? bytes.subarray(12) : bytes).toString('hex');
}

function parseIpv6(text: string): Uint8Array | null {
  let address = text.split('%')[0];
  const bytes = new Uint8Array(16);
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let tail: number[] = [];
  if (dotted) {
    tail = dotted[1].split('.').map(Number);
    if (tail.some((n) => n > 255)) return null;
    address = address.slice(0, -dotted[1].length) + '0:0';
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/i.test(groups[i])) return null;
    const value = parseInt(groups[i], 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  if (dotted) bytes.set(tail, 12);
  return bytes;
}
