import { type AccessScope, CloseCode, isAccessScope, parseRoomId, randomId } from '@inkroom/shared';
import { errors, type JWTHeaderParameters, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { parseDuration } from './durations.js';
import { KeyRing, KeyRingError } from './keys.js';

/** What a verified token grants. */
export interface VerifiedToken {
  /** An exact room name or a `prefix/*` pattern. */
  room: string;
  scope: AccessScope;
  /** Expiry, milliseconds since the epoch. */
  expiresAt: number;
  /** Issued at, milliseconds since the epoch. */
  issuedAt: number;
  jti: string;
  sub: string | null;
  name: string | null;
  /** The share link the token was exchanged for, if any. */
  link: string | null;
}

/** Why a token was refused: a close code (4401 or 4403) and a reason safe to log and show. */
export interface TokenRefusal {
  code: typeof CloseCode.Unauthorized | typeof CloseCode.Forbidden;
  reason: string;
}

export interface VerifyOptions {
  /** Tolerated difference between the issuer's clock and ours, for `nbf` and `iat`. */
  clockSkewSeconds: number;
  /** Longest lifetime (`exp` - `iat`) accepted. */
  maxTtlSeconds: number;
  /** Longest token accepted, in characters. */
  maxTokenBytes: number;
  now?: number;
}

const NAME_MAX = 64;

function refuse(reason: string): TokenRefusal {
  return { code: CloseCode.Unauthorized, reason };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token has no "${error.claim}" claim`;
    if (error.claim === 'nbf' || error.claim === 'iat') return 'token not yet valid';
    return `token claim "${error.claim}" is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'token is malformed';
  if (error instanceof KeyRingError) return error.message;
  return 'token is invalid';
}

/**
 * Verifies a token against the key ring: signature (with the one algorithm its key allows, so
 * `alg: none` and algorithm confusion are refused), `exp` (required, in the future), `nbf` and
 * `iat` (within the clock skew), a lifetime no longer than allowed, and Inkroom's claims.
 */
export async function verifyToken(
  token: string,
  keys: KeyRing,
  options: VerifyOptions,
): Promise<VerifiedToken | TokenRefusal> {
  if (token.length === 0) return refuse('no token');
  if (token.length > options.maxTokenBytes) return refuse('token too long');
  const now = options.now ?? Date.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = keys.forKid(header.kid);
        if (!key) throw new KeyRingError('token names an unknown key');
        if (header.alg !== key.alg) throw new KeyRingError('token algorithm does not match its key');
        return key.key;
      },
      {
        algorithms: ['HS256', 'EdDSA', 'ES256'],
        clockTolerance: options.clockSkewSeconds,
        // iat bounds the lifetime, jti makes the token revocable on its own.
        requiredClaims: ['exp', 'iat', 'jti'],
        currentDate: new Date(now),
      },
    ));
  } catch (error) {
    return refuse(reasonOf(error));
  }
  const expiresAt = (payload.exp ?? 0) * 1000;
  // The skew forgives an issuer's clock running ahead (nbf, iat), never an expired token.
  if (expiresAt <= now) return refuse('token expired');
  const issuedAt = (payload.iat ?? 0) * 1000;
  // jose checks iat only against a maximum age: a token issued in the future is refused here.
  if (issuedAt > now + options.clockSkewSeconds * 1000) return refuse('token not yet valid');
  const lifetime = (expiresAt - issuedAt) / 1000;
  if (lifetime > options.maxTtlSeconds + options.clockSkewSeconds)
    return refuse('token lives longer than this server allows');
  const { room, scope, name, lnk } = payload as Record<string, unknown>;
  if (typeof room !== 'string' || room.length === 0) return refuse('token has no "room" claim');
  if (!isAccessScope(scope)) return refuse('token "scope" must be read or write');
  if (name !== undefined && (typeof name !== 'string' || name.length > NAME_MAX))
    return refuse('token "name" must be a string of at most 64 characters');
  if (lnk !== undefined && typeof lnk !== 'string') return refuse('token "lnk" claim is invalid');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 128)
    return refuse('token "jti" claim is invalid');
  return {
    room,
    scope,
    expiresAt,
    issuedAt,
    jti: payload.jti as string,
    sub: typeof payload.sub === 'string' ? payload.sub : null,
    name: typeof name === 'string' ? name : null,
    link: typeof lnk === 'string' ? lnk : null,
  };
}

export function isTokenRefusal(result: VerifiedToken | TokenRefusal): result is TokenRefusal {
  return 'code' in result;
}

export interface CreateTokenOptions {
  /**
   * The server's signing secret: its text, or the JSON key file (the first HS256 key signs),
   * exactly as given to the server with `--auth-secret-file` or `INKROOM_AUTH_SECRET`.
   */
  secret: string | KeyRing;
  /** An exact room name, or `prefix/*` for every room under `prefix/`. */
  room: string;
  scope: AccessScope;
  /** Lifetime: seconds, or a duration such as `30s`, `15m`, `1h`, `7d`. */
  ttl: number | string;
  /** Who the token is for (revoking by `sub` cuts off every token of theirs). */
  sub?: string;
  /** The name others see for this person. */
  name?: string;
  /** The share link it was exchanged for (set by the server). */
  link?: string;
}

/** A signed token and what it says. */
export interface CreatedToken {
  token: string;
  jti: string;
  expiresAt: number;
}

/**
 * Signs an access token for a room, for an application's backend to hand to its users' boards.
 *
 * @example
 * const { token } = await createToken({
 *   secret: process.env.INKROOM_AUTH_SECRET!, room: 'team/plan', scope: 'write', ttl: '1h',
 *   sub: user.id, name: user.displayName,
 * });
 * // <inkroom-board server="wss://ink.example.com" room="team/plan" token=${token}>
 */
export async function createToken(options: CreateTokenOptions): Promise<CreatedToken> {
  const keys = typeof options.secret === 'string' ? await KeyRing.parse(options.secret) : options.secret;
  const signing = keys.signing;
  if (!signing) throw new KeyRingError('no HS256 secret to sign with');
  const ttl = typeof options.ttl === 'number' ? options.ttl : parseDuration(options.ttl);
  if (ttl === null || !Number.isFinite(ttl) || ttl <= 0)
    throw new RangeError(`invalid ttl: ${String(options.ttl)} (expected seconds, or 30s, 15m, 1h, 7d)`);
  if (!isAccessScope(options.scope)) throw new RangeError(`invalid scope: ${String(options.scope)}`);
  const pattern = options.room.endsWith('/*') ? options.room.slice(0, -2) : options.room;
  if (!parseRoomId(pattern))
    throw new RangeError(
      `invalid room: a room name or prefix/* (at most 256 characters, no control characters)`,
    );
  const now = Math.floor(Date.now() / 1000);
  const jti = randomId(16);
  const claims: JWTPayload = { room: options.room, scope: options.scope };
  if (options.name !== undefined) claims.name = options.name.slice(0, NAME_MAX);
  if (options.link !== undefined) claims.lnk = options.link;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: signing.kid, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(ttl))
    .setJti(jti);
  if (options.sub !== undefined) jwt.setSubject(options.sub);
  const token = await jwt.sign(signing.key);
  return { token, jti, expiresAt: (now + Math.round(ttl)) * 1000 };
}
