import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../functions/src/http/clientAddress.js';

describe('the address a client is limited under', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv6 address', '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8::1', '2001:db8:0:0::/64'],
    ['an IPv6 address with leading zeros', '2001:0db8:0001:0002::9', '2001:db8:1:2::/64'],
    ['an IPv6 address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['the IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['no address', undefined, 'unknown'],
    ['something that is not an address', 'not-an-ip', 'unknown'],
  ])('keys %s by what its holder controls', (_label, ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('puts two addresses of one IPv6 /64 under one key and a neighbouring /64 under another', () => {
    expect(addressKey('2001:db8:a:b::1')).toBe(addressKey('2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:a:b::1')).not.toBe(addressKey('2001:db8:a:c::1'));
  });
});
