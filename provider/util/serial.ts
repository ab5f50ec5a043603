// SPDX-License-Identifier: Apache-2.0

/**
 * Runs tasks one at a time per key, in the order they were started: the engine runs resources in
 * parallel, and an API without ETags cannot tell two writers of one process apart (the second
 * would overwrite the first without a trace). Tasks of different keys run concurrently.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task started earlier with the same key has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once its last task settled, so the map does not grow with every offer seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
