/** A request that fails with an HTTP status and a message safe to show. */
export class AccessError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}
