import { describe, expect, it } from 'vitest';
import { peekTokenClaims, roomMatches } from './access.js';

describe('room patterns', () => {
  it('match an exact name, or every room under prefix/ for prefix/*', () => {
    expect(roomMatches('plan', 'plan')).toBe(true);
    expect(roomMatches('plan', 'plan2')).toBe(false);
    expect(roomMatches('team/*', 'team/plan')).toBe(true);
    expect(roomMatches('team/*', 'team/a/b')).toBe(true);
    expect(roomMatches('team/*', 'team2')).toBe(false);
    expect(roomMatches('team/*', 'team2/plan')).toBe(false);
    expect(roomMatches('team/*', 'team')).toBe(false);
    expect(roomMatches('team/*', 'team/')).toBe(false);
    // A bare "/*" (no prefix) and "*" open nothing but rooms literally named so.
    expect(roomMatches('/*', '/x')).toBe(false);
    expect(roomMatches('*', 'anything')).toBe(false);
  });
});

describe('reading token claims (unverified, for the board)', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it('reads room, scope, exp, sub and name, and nothing from a non-token', () => {
    const token = `${encode({ alg: 'HS256' })}.${encode({ room: 'r', scope: 'read', exp: 5, name: 'Ada' })}.sig`;
    expect(peekTokenClaims(token)).toEqual({ room: 'r', scope: 'read', exp: 5, name: 'Ada' });
    expect(peekTokenClaims('garbage')).toBeNull();
    expect(peekTokenClaims(`${encode({})}.${encode({ room: 'r', scope: 'admin', exp: 5 })}.x`)).toBeNull();
    expect(peekTokenClaims(`${encode({})}.%%%.x`)).toBeNull();
  });
});
