/*
 * What an access token grants, as both sides read it. The server verifies tokens; the board only
 * reads their claims to know whether it may edit and when to renew.
 */

/** `read`: see the board and be seen; `write`: change it too. */
export type AccessScope = 'read' | 'write';

export function isAccessScope(value: unknown): value is AccessScope {
  return value === 'read' || value === 'write';
}

/** The query parameter that carries a token on the WebSocket URL (the stock provider's `params`). */
export const TOKEN_PARAM = 'token';

/**
 * A `Sec-WebSocket-Protocol` entry that carries a token instead: `inkroom-token.<jwt>`, offered
 * beside `inkroom`, which the server selects (a browser fails a handshake whose offered protocols
 * get no answer).
 */
export const TOKEN_PROTOCOL_PREFIX = 'inkroom-token.';
export const INKROOM_PROTOCOL = 'inkroom';

/**
 * Whether a token's `room` claim opens `room`: an exact name, or `prefix/*` for every room whose
 * name starts with `prefix/` (so `team/*` opens `team/plan` but neither `team` nor `team2`).
 */
export function roomMatches(pattern: string, room: string): boolean {
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return prefix.length > 1 && room.length > prefix.length && room.startsWith(prefix);
  }
  return pattern === room;
}

/** The claims of an Inkroom access token that a client may read (unverified) from its payload. */
export interface TokenClaims {
  room: string;
  scope: AccessScope;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  sub?: string;
  name?: string;
}

/**
 * Reads a token's claims without checking its signature: for a client deciding what to show and
 * when to renew, never for granting anything. Null when it is not a JWT with Inkroom claims.
 */
export function peekTokenClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    if (typeof claims.room !== 'string' || !isAccessScope(claims.scope) || typeof claims.exp !== 'number')
      return null;
    return {
      room: claims.room,
      scope: claims.scope,
      exp: claims.exp,
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    };
  } catch {
    return null;
  }
}

/** How a server controls access (`GET /api/auth`). */
export interface AuthInfo {
  mode: 'off' | 'links' | 'tokens';
  createRooms: 'anyone' | 'admin';
}

/** A share link as its managers see it (`/api/rooms/<room>/links`), secret included. */
export interface LinkView {
  id: string;
  room: string;
  scope: AccessScope;
  /** An owner link manages the room's links (and writes). */
  owner: boolean;
  label: string;
  createdAt: number;
  expiresAt: number | null;
  /**
   * `/r/<room>#k=<secret>` opens the room with this link. Null when it can no longer be shown
   * (the signing key changed since the link was made; the link still works for whoever has it).
   */
  secret: string | null;
}

/** What a share link's key is exchanged for (`/api/rooms/<room>/session`): a short-lived token. */
export interface LinkGrant {
  room: string;
  token: string;
  expiresAt: number;
  scope: AccessScope;
  owner: boolean;
}
