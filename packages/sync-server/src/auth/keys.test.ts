import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './durations.js';
import { KeyRing, KeyRingError } from './keys.js';

describe('the key ring', () => {
  it('takes one secret as kid "default", signing', async () => {
    const ring = await KeyRing.parse('s'.repeat(32));
    expect(ring.signing?.kid).toBe('default');
    expect(ring.forKid(undefined)).toBe(ring.signing);
    expect(ring.forKid('other')).toBeNull();
  });

  it('takes a JSON ring: the first secret signs, public keys verify only', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const ring = await KeyRing.parse(
      JSON.stringify({
        keys: [
          { kid: 'app', alg: 'ES256', publicKey: await exportSPKI(pair.publicKey) },
          { kid: 'new', secret: 'n'.repeat(40) },
          { kid: 'old', secret: 'o'.repeat(40) },
          { kid: 'jwk', alg: 'ES256', jwk: await exportJWK(pair.publicKey) },
        ],
      }),
    );
    expect(ring.signing?.kid).toBe('new');
    expect(ring.forKid('app')?.alg).toBe('ES256');
    expect(ring.kids).toEqual(['app', 'new', 'old', 'jwk']);
  });

  it('refuses unusable rings with a message that names the key, never the secret', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    const cases: [string, RegExp][] = [
      ['short', /too short/],
      ['{ not json', /not valid JSON/],
      ['{"keys": []}', /non-empty "keys"/],
      [JSON.stringify({ keys: [{ secret: 'x'.repeat(40) }] }), /needs a "kid"/],
      [JSON.stringify({ keys: [{ kid: 'a', secret: 'x'.repeat(40), alg: 'RS256' }] }), /for HS256/],
      [JSON.stringify({ keys: [{ kid: 'a', alg: 'RS256', publicKey: 'x' }] }), /EdDSA or ES256/],
      [JSON.stringify({ keys: [{ kid: 'a', alg: 'EdDSA', publicKey: 'not pem' }] }), /not a valid EdDSA/],
      [
        JSON.stringify({ keys: [{ kid: 'a', alg: 'EdDSA', jwk: await exportJWK(pair.privateKey) }] }),
        /not the private one/,
      ],
      [
        JSON.stringify({
          keys: [
            { kid: 'a', secret: 'x'.repeat(40) },
            { kid: 'a', secret: 'y'.repeat(40) },
          ],
        }),
        /two keys have the kid "a"/,
      ],
    ];
    for (const [source, message] of cases) {
      const error = await KeyRing.parse(source).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyRingError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('x'.repeat(40));
    }
  });
});

describe('durations', () => {
  it('reads 30s, 15m, 1h, 7d and bare seconds, and nothing else', () => {
    expect([parseDuration('30s'), parseDuration('15m'), parseDuration('1h'), parseDuration('7d')]).toEqual([
      30, 900, 3600, 604_800,
    ]);
    expect(parseDuration('90')).toBe(90);
    for (const bad of ['', '0', '1w', '-1h', '1.5h', 'h', '1 h']) expect(parseDuration(bad)).toBeNull();
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(90)).toBe('90s');
  });
});
