import { importJWK, importSPKI, type JWK } from 'jose';

/** Algorithms a key may verify: each key exactly one, so no token can pick another (no confusion). */
export type KeyAlgorithm = 'HS256' | 'EdDSA' | 'ES256';

export interface VerifyKey {
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly key: PublicKey | Uint8Array;
}

/** An imported public key (a WebCrypto key; named through jose, as Node's types lack the DOM's). */
type PublicKey = Awaited<ReturnType<typeof importSPKI>>;

/** The smallest HS256 secret accepted, in bytes (RFC 7518 asks for at least the hash size). */
export const MIN_SECRET_BYTES = 32;

/** A secret or key file that cannot be used, with what is wrong. */
export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

interface KeyEntry {
  kid?: unknown;
  secret?: unknown;
  alg?: unknown;
  publicKey?: unknown;
  jwk?: unknown;
}

/**
 * The keys the server signs and verifies tokens with. The signing key is the first HS256 secret;
 * the others verify only, chosen by a token's `kid` header, so keys can rotate: add the new one
 * first, keep the old one until its tokens have expired, then drop it. EdDSA and ES256 public
 * keys let an application sign with a private key the server never sees.
 *
 * The source is either one secret (its text, at least 32 bytes; kid `default`) or JSON:
 * `{ "keys": [{ "kid": "2026-12", "secret": "..." }, { "kid": "app", "alg": "EdDSA",
 * "publicKey": "-----BEGIN PUBLIC KEY-----..." }] }` (`jwk` instead of `publicKey` works too).
 */
export class KeyRing {
  private constructor(
    private readonly keys: ReadonlyMap<string, VerifyKey>,
    readonly signing: VerifyKey | null,
  ) {}

  static async parse(source: string): Promise<KeyRing> {
    const text = source.trim();
    if (!text.startsWith('{')) {
      return KeyRing.from([{ kid: 'default', alg: 'HS256', key: secretKey(text, 'the secret') }]);
    }
    let parsed: { keys?: unknown };
    try {
      parsed = JSON.parse(text) as { keys?: unknown };
    } catch {
      throw new KeyRingError('the key file starts with "{" but is not valid JSON');
    }
    if (!Array.isArray(parsed.keys) || parsed.keys.length === 0)
      throw new KeyRingError('the key file needs a non-empty "keys" array');
    const keys: VerifyKey[] = [];
    for (const [index, entry] of (parsed.keys as KeyEntry[]).entries()) {
      keys.push(await parseEntry(entry, index));
    }
    return KeyRing.from(keys);
  }

  private static from(keys: VerifyKey[]): KeyRing {
    const byKid = new Map<string, VerifyKey>();
    for (const key of keys) {
      if (byKid.has(key.kid)) throw new KeyRingError(`two keys have the kid "${key.kid}"`);
      byKid.set(key.kid, key);
    }
    return new KeyRing(byKid, keys.find((key) => key.alg === 'HS256') ?? null);
  }

  /** The key a token names by `kid`; a token without one is checked against the signing key. */
  forKid(kid: string | undefined): VerifyKey | null {
    if (kid === undefined) return this.signing;
    return this.keys.get(kid) ?? null;
  }

  get kids(): string[] {
    return [...this.keys.keys()];
  }
}

function secretKey(text: string, what: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < MIN_SECRET_BYTES)
    throw new KeyRingError(`${what} is too short: at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

async function parseEntry(entry: KeyEntry, index: number): Promise<VerifyKey> {
  const where = `keys[${index}]`;
  if (typeof entry.kid !== 'string' || entry.kid.length === 0)
    throw new KeyRingError(`${where} needs a "kid"`);
  const kid = entry.kid;
  if (typeof entry.secret === 'string') {
    if (entry.alg !== undefined && entry.alg !== 'HS256')
      throw new KeyRingError(`${where} ("${kid}"): a secret is for HS256, not ${String(entry.alg)}`);
    return { kid, alg: 'HS256', key: secretKey(entry.secret, `${where} ("${kid}")`) };
  }
  if (entry.alg !== 'EdDSA' && entry.alg !== 'ES256')
    throw new KeyRingError(`${where} ("${kid}"): "alg" must be EdDSA or ES256 for a public key`);
  const alg = entry.alg;
  try {
    if (typeof entry.publicKey === 'string') return { kid, alg, key: await importSPKI(entry.publicKey, alg) };
    if (entry.jwk && typeof entry.jwk === 'object') {
      const jwk = entry.jwk as JWK;
      if ('d' in jwk) throw new KeyRingError(`${where} ("${kid}"): give the public key, not the private one`);
      return { kid, alg, key: await importJWK(jwk, alg) };
    }
  } catch (error) {
    if (error instanceof KeyRingError) throw error;
    throw new KeyRingError(`${where} ("${kid}"): not a valid ${alg} public key`);
  }
  throw new KeyRingError(`${where} ("${kid}") needs a "secret", a "publicKey" (PEM) or a "jwk"`);
}
