import {
  type AccessScope,
  CloseCode,
  encodeAuthToken,
  peekTokenClaims,
  TOKEN_PARAM,
  type TokenClaims,
} from '@inkroom/shared';
import type { WebsocketProvider } from 'y-websocket';

/** An async function that returns a fresh access token for the board's room. */
export type TokenProvider = () => Promise<string>;

/** Where a board's tokens come from: a fixed `token`, a `tokenProvider`, or neither. */
export interface TokenSource {
  token: string | null;
  provider: TokenProvider | null;
}

/** Renew when this share of a token's life has passed (a 10-minute token: after 7.5 minutes). */
const RENEW_AT = 0.75;
/** Wait before asking a failed token provider again. */
const RETRY_MS = 5000;
/** Refusals in a row (4401 with a fresh token each time) before giving up. */
const MAX_REFUSED_RENEWALS = 3;

/**
 * A board's access token for one connection: puts it on the provider's URL (`?token=`, which the
 * provider reads again on every reconnect), renews it from the `tokenProvider` before it expires
 * and sends the new one in-band, so the socket never drops, and after a 4401 fetches a fresh one
 * and reconnects. Its claims say whether the board may edit.
 */
export class AccessToken {
  private current: string | null = null;
  private claimsOf: TokenClaims | null = null;
  private provider: WebsocketProvider | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private refusedInARow = 0;
  private stopped = false;

  constructor(
    private readonly source: () => TokenSource,
    /** Called when the token, and so perhaps the scope, changed; or with an error to show. */
    private readonly changed: (problem: string | null) => void,
  ) {}

  /** The token in use, or null (none, or not fetched yet). */
  get token(): string | null {
    return this.current;
  }

  /** The scope the token grants; null without a token (an open server decides). */
  get scope(): AccessScope | null {
    return this.claimsOf?.scope ?? null;
  }

  /** The name the token gives this person, if any. */
  get name(): string | null {
    return this.claimsOf?.name ?? null;
  }

  /** Starts with `provider` (created with `connect: false`): gets a token, then connects. */
  async start(provider: WebsocketProvider): Promise<void> {
    this.provider = provider;
    provider.on('closed', this.onRefused);
    provider.on('connection-close', this.onClose);
    provider.on('sync', this.onSync);
    const source = this.source();
    if (source.provider) await this.fetch(source.provider);
    else this.use(source.token);
    // Without the token its provider failed to give, the server would only refuse (4401): the
    // retry connects once one arrives.
    if (!this.stopped && (this.current || !source.provider)) provider.connect();
  }

  /** The `token` attribute or `tokenProvider` property changed: use the new one. */
  async sourceChanged(): Promise<void> {
    const source = this.source();
    if (source.provider) await this.fetch(source.provider);
    else this.use(source.token);
    this.sendInBand();
    // A board refused for lack of a token tries again with the new one.
    if (this.provider && !this.provider.shouldConnect && this.current) this.provider.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.renewTimer);
    this.provider?.off('closed', this.onRefused);
    this.provider?.off('connection-close', this.onClose);
    this.provider?.off('sync', this.onSync);
    this.provider = null;
  }

  private use(token: string | null): void {
    if (this.stopped) return;
    this.current = token;
    this.claimsOf = token ? peekTokenClaims(token) : null;
    const provider = this.provider;
    if (provider) {
      const { [TOKEN_PARAM]: _, ...rest } = provider.params;
      provider.params = token ? { ...rest, [TOKEN_PARAM]: token } : rest;
    }
    this.scheduleRenewal();
    this.changed(null);
  }

  private async fetch(tokenProvider: TokenProvider): Promise<void> {
    try {
      const token = await tokenProvider();
      if (typeof token !== 'string' || token.length === 0)
        throw new Error('the tokenProvider returned no token');
      this.use(token);
    } catch (error) {
      if (this.stopped) return;
      // Try again later: a token provider that cannot reach its server (offline) recovers by itself.
      clearTimeout(this.renewTimer);
      this.renewTimer = setTimeout(() => {
        void this.fetch(tokenProvider).then(() => {
          this.sendInBand();
          if (this.current && this.provider && !this.provider.shouldConnect) this.provider.connect();
        });
      }, RETRY_MS);
      // A network failure is what `offline` already says; anything else is worth showing.
      if (error instanceof TypeError) return;
      console.error('inkroom: tokenProvider failed', error);
      this.changed(`no access: ${(error as Error).message}`);
    }
  }

  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const source = this.source();
    if (!source.provider || !this.claimsOf) return;
    const remaining = this.claimsOf.exp * 1000 - Date.now();
    this.renewTimer = setTimeout(
      () => {
        const tokenProvider = this.source().provider;
        if (tokenProvider) void this.fetch(tokenProvider).then(() => this.sendInBand());
      },
      Math.max(500, remaining * RENEW_AT),
    );
  }

  /** Hands the open socket the current token, so it outlives the one it opened with. */
  private sendInBand(): void {
    const ws = this.provider?.ws;
    if (this.current && ws && this.provider?.wsconnected && ws.readyState === WebSocket.OPEN)
      ws.send(encodeAuthToken(this.current));
  }

  /** A 44xx close, after which the provider does not retry: with a provider, a fresh token may help. */
  private readonly onRefused = ({ code }: { code: number }) => {
    const tokenProvider = this.source().provider;
    if (code !== CloseCode.Unauthorized || !tokenProvider) return;
    if (++this.refusedInARow > MAX_REFUSED_RENEWALS) return;
    void this.fetch(tokenProvider).then(() => {
      if (!this.stopped && this.current) this.provider?.connect();
    });
  };

  /** Permissions changed (4511): the provider reconnects by itself; a fresh token shows the new scope. */
  private readonly onClose = (event: { code: number } | null) => {
    const tokenProvider = this.source().provider;
    if (event?.code === CloseCode.PermissionsChanged && tokenProvider) void this.fetch(tokenProvider);
  };

  private readonly onSync = (synced: boolean) => {
    if (synced) this.refusedInARow = 0;
  };
}
