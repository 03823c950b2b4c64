import { isIP } from 'node:net';

/**
 * Where the server may send requests on a user's behalf (webhooks). A party's delegate chooses the
 * URL, so without this check the server could be made to POST into the operator's own network
 * (cloud metadata at 169.254.169.254, databases on 10/8, admin consoles on 127.0.0.1): server-side
 * request forgery. Only public unicast addresses are allowed, unless the URL names this machine
 * literally (a local relay the operator set up on purpose).
 */

/** IPv4 ranges that are not publicly routable (RFC 6890 and RFC 5735 special-purpose blocks). */
const V4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inV4(ip: string, [base, bits]: readonly [string, number]): boolean {
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return (v4ToInt(ip) & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
}

/** The 8 groups of an IPv6 address, expanded (an embedded dotted IPv4 tail becomes two groups). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const n = v4ToInt(tail[1]!);
    text = text.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const a = head ? head.split(':').filter((x) => x !== '') : [];
  const b = rest ? rest.split(':').filter((x) => x !== '') : [];
  const fill = rest === null ? [] : new Array<string>(8 - a.length - b.length).fill('0');
  return [...a, ...fill, ...b].map((g) => parseInt(g, 16));
}

/** Whether `ip` (a literal IPv4 or IPv6 address) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !V4_BLOCKED.some((r) => inV4(ip, r));
  if (family !== 6) return false;
  const g = v6Groups(ip);
  const first = g[0]!;
  if (g.every((x) => x === 0)) return false; // :: unspecified
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1 loopback
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (64:ff9b::a.b.c.d): judge the IPv4 inside.
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (mapped || nat64) return isPublicAddress(`${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`);
  if ((first & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((first & 0xff00) === 0xff00) return false; // ff00::/8 multicast
  if (first === 0x2001 && g[1] === 0x0db8) return false; // 2001:db8::/32 documentation
  if (first === 0x3fff && g[1]! < 0x1000) return false; // 3fff::/20 documentation (RFC 9637)
  return (first & 0xe000) === 0x2000; // only 2000::/3 is global unicast
}

const LOOPBACK_NAME = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a URL's host names this machine literally (allowed: the operator set up a local relay on purpose). */
export function namesLoopback(hostname: string): boolean {
  return LOOPBACK_NAME.test(hostname);
}

/** The host as an IP literal (brackets removed), or null for a name that needs resolving. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

export type Resolver = (hostname: string) => Promise<string[]>;

/**
 * Why the server must not send to `url`, or null when it may. A name is resolved and every address
 * it resolves to must be public. (A name that resolves differently between this check and the
 * connection — DNS rebinding — is not covered; restricting egress at the network is the complete fix.)
 */
export async function egressRefusal(url: URL, resolve: Resolver, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate || namesLoopback(url.hostname)) return null;
  const literal = ipLiteral(url.hostname);
  // A name that does not resolve is left to the request itself, which fails with its own reason.
  const addresses = literal ? [literal] : await resolve(url.hostname).catch(() => [] as string[]);
  const inside = addresses.find((a) => !isPublicAddress(a));
  return inside ? `${url.hostname} is a private, loopback or reserved address (${inside}); not sent` : null;
}
