import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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
    if (why)
      throw host === address
        ? new WebhookUrlError('URL_NOT_ALLOWED', `${address} is ${why}; webhooks go only to public addresses`)
        : hostRefused(host);
  }
  const [first] = addresses;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function hostRefused(host: string): WebhookUrlError {
  return new WebhookUrlError('URL_NOT_ALLOWED', `${host} must resolve, and only to public internet addresses; webhooks go only there`);
}

/** BlockList matches an IPv4 address and its IPv4-mapped form either way round: `::ffff:7f00:1` is `127.0.0.1`. */
function isAllowlisted(address: string, allowed: ReadonlySet<string>): boolean {
  const target = plainIp(address);
  if (!target) return false;
  const list = new BlockList();
  for (const entry of allowed) {
    const ip = plainIp(entry);
    if (ip) list.addAddress(ip.address, ip.family);
  }
  return list.check(target.address, target.family);
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

/**
 * Address ranges as node's BlockList holds them: it parses addresses by the standards (`::1.2.3.4` is IPv4-compatible,
 * not IPv4-mapped; zone ids are dropped) and compares bytes, so no address text is ever compared here.
 */
interface Ranges {
  list: BlockList;
  kind: string;
}

function ranges(family: 'ipv4' | 'ipv6', cidrs: readonly string[], kind: string): Ranges {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, bits] = cidr.split('/');
    list.addSubnet(network, Number(bits), family);
  }
  return { list, kind };
}

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const IPV4_INTERNAL: readonly [string, string][] = [
  ['0.0.0.0/8', 'a "this network" address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a carrier-grade NAT address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address (cloud metadata lives there)'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'a reserved address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.88.99.0/24', 'a reserved address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
];

/** IPv6 ranges that are not the public internet; those embedding an IPv4 address are judged by it instead. */
const IPV6_INTERNAL: readonly [string, string][] = [
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['::/96', 'a reserved (IPv4-compatible) address'],
  ['64:ff9b:1::/48', 'a local-use NAT64 address'],
  ['100::/64', 'a discard-only address'],
  ['2001::/23', 'a reserved (IETF protocol) address'],
  ['2001:db8::/32', 'a documentation address'],
  ['fc00::/7', 'a unique-local (private) address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['ff00::/8', 'a multicast address'],
];

/**
 * IPv6 prefixes that carry an IPv4 address (IPv4-mapped, NAT64, 6to4): each internal IPv4 range, written inside
 * each of them, is internal in the same way.
 */
function carriedIpv4(cidr: string): string[] {
  const [network, bits] = cidr.split('/');
  const [a, b, c, d] = network.split('.').map(Number);
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return [
    `::ffff:${network}/${96 + Number(bits)}`,
    `64:ff9b::${network}/${96 + Number(bits)}`,
    `2002:${hex(a, b)}:${hex(c, d)}::/${16 + Number(bits)}`,
  ];
}

const IPV4_RANGES: readonly Ranges[] = IPV4_INTERNAL.map(([cidr, kind]) => ranges('ipv4', [cidr], kind));
const IPV6_RANGES: readonly Ranges[] = [
  ...IPV4_INTERNAL.map(([cidr, kind]) => ranges('ipv6', carriedIpv4(cidr), `${kind} in IPv6 form`)),
  ...IPV6_INTERNAL.map(([cidr, kind]) => ranges('ipv6', [cidr], kind)),
];

/**
 * What kind of internal address `address` is (loopback, private, link-local, …), or null for a public one.
 * Anything that is not a well-formed IP address counts as internal.
 */
export function internalAddressKind(address: string): string | null {
  const plain = plainIp(address);
  if (!plain) return 'not a valid IP address';
  const found = (plain.family === 'ipv4' ? IPV4_RANGES : IPV6_RANGES).find(({ list }) => list.check(plain.address, plain.family));
  return found?.kind ?? null;
}

/** The address without brackets or zone id, and its family; null when it is not an IP address. */
function plainIp(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const plain = address.replace(/^\[(.*)\]$/, '$1').split('%')[0];
  const family = isIP(plain);
  return family === 0 ? null : { address: plain, family: family === 4 ? 'ipv4' : 'ipv6' };
}
