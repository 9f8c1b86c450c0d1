import { describe, expect, it } from 'vitest';
import { addressKey } from './Admission.js';

describe('the address limits count by', () => {
  it('an IPv4 address as it is, mapped or not', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('')).toBe('');
  });

  it('an IPv6 address by its /64, however it is written', () => {
    const key = addressKey('2001:db8:85a3:1:aaaa:bbbb:cccc:dddd');
    expect(key).toBe('2001:db8:85a3:1::/64');
    expect(addressKey('2001:0db8:85a3:0001::1')).toBe(key);
    expect(addressKey('2001:db8:85a3:1:ffff::')).toBe(key);
    expect(addressKey('2001:db8:85a3:2::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});
