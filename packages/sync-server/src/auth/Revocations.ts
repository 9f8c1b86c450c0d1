import type { AuthStore, Revocation } from '../storage/AuthStore.js';
import type { VerifiedToken } from './tokens.js';

/** What to revoke by token or person (links are revoked by deleting them). */
export type RevokedTarget = { jti: string } | { sub: string };

/**
 * Revoked tokens (`jti`) and people (`sub`), kept in the store and in memory. A token is kept
 * revoked until it could no longer be used anyway: its lifetime is at most the longest TTL from
 * an `iat` at most one clock skew ahead, so `maxTtl + 2 skew` after the revocation. A person's
 * revocation covers every token issued up to one clock skew after it (an issuer's clock may run
 * ahead), and never lapses.
 */
export class Revocations {
  private readonly tokens = new Map<string, Revocation>();
  private readonly subjects = new Map<string, Revocation>();

  private constructor(
    private readonly store: AuthStore,
    private readonly keepTokensMs: number,
    private readonly skewMs: number,
  ) {}

  static async load(
    store: AuthStore,
    settings: { maxTokenTtlSeconds: number; clockSkewSeconds: number },
  ): Promise<Revocations> {
    const skewMs = settings.clockSkewSeconds * 1000;
    const revocations = new Revocations(store, settings.maxTokenTtlSeconds * 1000 + 2 * skewMs, skewMs);
    const now = Date.now();
    for (const revocation of await store.listRevocations()) {
      if (revocation.until !== null && revocation.until < now) await store.deleteRevocation(revocation);
      else revocations.remember(revocation);
    }
    return revocations;
  }

  async revoke(target: RevokedTarget): Promise<void> {
    const now = Date.now();
    const revocation: Revocation =
      'jti' in target
        ? { kind: 'jti', value: target.jti, at: now, until: now + this.keepTokensMs }
        : { kind: 'sub', value: target.sub, at: now, until: null };
    await this.store.putRevocation(revocation);
    this.remember(revocation);
    this.prune(now);
  }

  /** Puts back a revocation from a backup. */
  async restore(revocation: Revocation): Promise<void> {
    if ((revocation.kind !== 'jti' && revocation.kind !== 'sub') || typeof revocation.value !== 'string')
      throw new Error('a revocation record of the backup is malformed');
    await this.store.putRevocation(revocation);
    this.remember(revocation);
  }

  /**
   * With a store other processes write too, reads the token's and its person's revocations from
   * it (what another process revoked), before `refusalOf`. Nothing to do with a store of its own.
   */
  async refresh(token: VerifiedToken): Promise<void> {
    if (!this.store.revocationsOf) return;
    for (const revocation of await this.store.revocationsOf(token.jti, token.sub)) this.remember(revocation);
  }

  /** Why a verified token is revoked, or null. */
  refusalOf(token: VerifiedToken): string | null {
    if (token.jti !== null && this.tokens.has(token.jti)) return 'token revoked';
    const subject = token.sub === null ? undefined : this.subjects.get(token.sub);
    if (subject && token.issuedAt <= subject.at + this.skewMs) return 'person revoked';
    return null;
  }

  private remember(revocation: Revocation): void {
    const map = revocation.kind === 'jti' ? this.tokens : this.subjects;
    const known = map.get(revocation.value);
    if (!known || known.at < revocation.at) map.set(revocation.value, revocation);
  }

  /** Forgets token revocations past their time (the store's copies go at the next start). */
  private prune(now: number): void {
    for (const [jti, revocation] of this.tokens) {
      if (revocation.until !== null && revocation.until < now) this.tokens.delete(jti);
    }
  }
}
