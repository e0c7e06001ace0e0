/**
 * Wakes waiting subscriptions: at once when this process appends, or after a short poll for appends made by
 * other processes on the same file (SQLite has no cross-process notification).
 */
export class Wakeup {
  private waiters = new Set<() => void>();

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
