/** Drains an async iterable into an array (for tests over small reads). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Takes `count` items from an iterator, failing after `timeoutMs` instead of hanging the suite. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 20_000): Promise<T[]> {
  const items: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (items.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${items.length} of ${count} items`)),
        Math.max(remaining, 0),
      );
    });
    try {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`iteration ended after ${items.length} of ${count} items`);
      items.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return items;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
