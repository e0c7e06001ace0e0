/**
 * Wakes waiting subscriptions: at once when this process appends, or when one shared poll sees the head move
 * (appends made by other processes on the same file: SQLite has no cross-process notification). One poll for
 * all waiters, so a thousand idle feeds cost one head read per interval, not a thousand.
 */
export class Wakeup {
  private waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private lastHead = 0;

  constructor(
    /** The log's head as the file has it now. */
    private readonly readHead: () => number,
    private readonly pollIntervalMs: number,
  ) {}

  /** Resolves at the next append seen (ours or another process's) or once the store closes. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.add(resolve);
      this.timer ??= setInterval(() => this.poll(), this.pollIntervalMs);
    });
  }

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    this.stopPolling();
    for (const waiter of waiters) waiter();
  }

  private poll(): void {
    let head: number;
    try {
      head = this.readHead();
    } catch {
      // A closed or failing file: wake everyone, each follower sees why on its own read.
      this.notify();
      return;
    }
    if (head !== this.lastHead) {
      this.lastHead = head;
      this.notify();
    }
  }

  private stopPolling(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
