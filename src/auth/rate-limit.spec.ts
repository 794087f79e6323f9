import { describe, expect, it } from '@jest/globals';
import { rateLimitClient } from './rate-limit.js';

describe('the client a rate limit counts', () => {
  it('is the IPv4 address itself, also when IPv4-mapped', () => {
    expect(rateLimitClient('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitClient('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    expect(rateLimitClient('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(rateLimitClient('2001:0DB8:0000:0001:ffff:0:0:2')).toBe('2001:db8:0:1::/64');
    expect(rateLimitClient('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitClient('fe80::')).toBe('fe80:0:0:0::/64');
  });
});
