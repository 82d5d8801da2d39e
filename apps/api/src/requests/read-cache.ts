/** Distinct queries kept at once; the oldest goes first (cursors make the key space unbounded). */
export const READ_CACHE_MAX_ENTRIES = 256;

interface Entry<T> {
  readonly loadedAt: number;
  readonly value: Promise<T>;
}

/**
 * Answers reused for a moment, per query: the first caller's load is shared by everyone who asks
 * for the same key while it runs (single flight) and for `ttlMs` after it started. A failed load
 * is forgotten at once, so an error is never served from memory. `clear()` makes the next
 * caller load again; loads already running still answer their own callers.
 */
export class ReadCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = READ_CACHE_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs === 0) return load();
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const value = load();
    const fresh = { loadedAt: this.now(), value };
    this.entries.delete(key); // re-inserted last: Map order is age order
    this.entries.set(key, fresh);
    this.evict();
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return value;
  }

  /** Drops expired answers (the oldest, at the front) so none stays in memory, then any excess. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      const expired = this.now() - entry.loadedAt >= this.ttlMs;
      if (!expired && this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }

  /** Entries held (expired ones are dropped when the next load is stored). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
