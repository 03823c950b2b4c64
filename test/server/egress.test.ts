// Which addresses the server may send webhooks to (SSRF defence, src/app/egress.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { egressRefusal, isPublicAddress } from '../../src/app/egress.js';

describe('isPublicAddress', () => {
  it('refuses the special-purpose IPv4 blocks and allows public unicast', () => {
    for (const ip of ['0.0.0.0', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.255', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.168.1.1', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '255.255.255.255']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '198.20.0.1', '223.255.255.255', '185.60.216.35']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it('refuses the special IPv6 blocks, and judges IPv4 inside mapped and NAT64 addresses', () => {
    for (const ip of ['::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::192.168.0.1', '3fff::1', 'not an ip', '']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['2001:4860:4860::8888', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it('gives an IPv4 address and its IPv4-mapped IPv6 form the same answer', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(isPublicAddress(`::ffff:${ip}`)).toBe(isPublicAddress(ip));
      }),
      { numRuns: 2000 },
    );
  });

  it('never allows any address in 10/8, 127/8, 169.254/16 or 192.168/16', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const inBlock = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
    );
    fc.assert(fc.property(inBlock, (ip) => !isPublicAddress(ip)), { numRuns: 2000 });
  });
});

describe('egressRefusal', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => table[host] ?? [];
  it('lets a name through only when every address it resolves to is public', async () => {
    const r = resolver({ 'ok.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.9'] });
    expect(await egressRefusal(new URL('https://ok.example/x'), r, false)).toBeNull();
    expect(await egressRefusal(new URL('https://mixed.example/x'), r, false)).toMatch(/10\.0\.0\.9/);
    expect(await egressRefusal(new URL('https://[fe80::1]/x'), r, false)).toMatch(/fe80::1/);
  });

  it('allows the loopback names an operator writes on purpose, and everything when private egress is allowed', async () => {
    const none = resolver({});
    expect(await egressRefusal(new URL('http://localhost:9000/x'), none, false)).toBeNull();
    expect(await egressRefusal(new URL('http://127.0.0.1:9000/x'), none, false)).toBeNull();
    expect(await egressRefusal(new URL('https://10.0.0.5/x'), none, true)).toBeNull();
  });
});
