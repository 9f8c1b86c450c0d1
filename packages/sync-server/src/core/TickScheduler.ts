/**
 * Runs queued tasks together in one `setImmediate` callback, so that every room with writes
 * pending drains in the same turn and the store can put all their writes into one batch.
 */
export class TickScheduler {
  private readonly queued = new Set<() => void>();
  private scheduled = false;

  /** Runs `task` in the next check phase, once however often it is queued before then. */
  queue(task: () => void): void {
    this.queued.add(task);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const tasks = [...this.queued];
      this.queued.clear();
      for (const run of tasks) run();
    });
  }
}
