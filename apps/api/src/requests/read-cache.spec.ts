import { ReadCache } from './read-cache';

/** A load whose calls are counted and whose answers the test settles. */
function loads() {
  const pending: { resolve(v: string): void; reject(e: Error): void }[] = [];
  let calls = 0;
  const load = () => {
    calls += 1;
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { load, pending, calls: () => calls };
}

describe('ReadCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('shares one load between callers of the same key while it runs and until the TTL', async () => {
    const cache = new ReadCache<string>(1_000, 10, clock);
    const { load, pending, calls } = loads();

    const first = cache.get('a', load);
    const second = cache.get('a', load);
    pending[0].resolve('page');
    now += 999;
    const third = cache.get('a', load);

    await expect(Promise.all([first, second, third])).resolves.toEqual(['page', 'page', 'page']);
    expect(calls()).toBe(1);
  });

  it('loads again once the TTL has passed, and keeps keys apart', () => {
    const cache = new ReadCache<string>(1_000, 10, clock);
    const { load, pending, calls } = loads();

    void cache.get('a', load);
    void cache.get('b', load);
    now += 1_000;
    void cache.get('a', load);

    expect(calls()).toBe(3);
    pending.forEach((p) => p.resolve('x'));
  });

  it('forgets a failed load at once: the next caller loads again', async () => {
    const cache = new ReadCache<string>(1_000, 10, clock);
    const { load, pending, calls } = loads();

    const failed = cache.get('a', load);
    pending[0].reject(new Error('database unavailable'));
    await expect(failed).rejects.toThrow('database unavailable');
    const retried = cache.get('a', load);
    pending[1].resolve('page');

    await expect(retried).resolves.toBe('page');
    expect(calls()).toBe(2);
  });

  it('after clear(), loads again; a load already running still answers its callers', async () => {
    const cache = new ReadCache<string>(1_000, 10, clock);
    const { load, pending, calls } = loads();

    const before = cache.get('a', load);
    cache.clear();
    const after = cache.get('a', load);
    pending[0].resolve('old');
    pending[1].resolve('new');

    await expect(before).resolves.toBe('old');
    await expect(after).resolves.toBe('new');
    expect(calls()).toBe(2);
  });

  it('holds at most maxEntries keys, dropping the oldest', () => {
    const cache = new ReadCache<string>(60_000, 2, clock);
    const { load, pending, calls } = loads();

    for (const key of ['a', 'b', 'c']) void cache.get(key, load);
    void cache.get('b', load);
    void cache.get('c', load);
    void cache.get('a', load);

    expect(calls()).toBe(4); // 'a' had been dropped for 'c'
    pending.forEach((p) => p.resolve('x'));
  });

  it('keeps no expired answer in memory once another load is stored', () => {
    const cache = new ReadCache<string>(1_000, 10, clock);
    const { load, pending } = loads();

    for (const key of ['a', 'b', 'c']) void cache.get(key, load);
    now += 1_000;
    void cache.get('d', load);

    expect(cache.size).toBe(1);
    pending.forEach((p) => p.resolve('x'));
  });

  it('with a TTL of 0, every call loads', () => {
    const cache = new ReadCache<string>(0, 10, clock);
    const { load, pending, calls } = loads();

    void cache.get('a', load);
    void cache.get('a', load);

    expect(calls()).toBe(2);
    pending.forEach((p) => p.resolve('x'));
  });
});
