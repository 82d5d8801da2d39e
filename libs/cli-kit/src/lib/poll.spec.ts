import { type Clock, FIRST_BACKOFF_MS, MAX_BACKOFF_MS, pollUntil } from './poll';

class Transient extends Error {}

/** A clock whose sleep advances virtual time at once, recording each pause. */
function virtualClock(): Clock & { pauses: number[] } {
  let now = 0;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => now,
    sleep: (ms) => {
      pauses.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const transient = (error: unknown): error is Transient => error instanceof Transient;

describe('pollUntil', () => {
  it('polls at the interval until the attempt answers', async () => {
    const clock = virtualClock();
    let calls = 0;

    const outcome = await pollUntil(
      clock,
      new AbortController().signal,
      { deadline: 10_000, intervalMs: 500, transient },
      () => Promise.resolve(++calls === 3 ? 'done' : undefined),
    );

    expect(outcome).toEqual({ kind: 'done', value: 'done' });
    expect(clock.pauses).toEqual([500, 500]);
  });

  it('backs off on transient errors, doubling up to the cap, and reports each retry', async () => {
    const clock = virtualClock();
    const retries: number[] = [];

    const outcome = await pollUntil(
      clock,
      new AbortController().signal,
      { deadline: 200_000, intervalMs: 10, transient, onRetry: (_e, pause) => retries.push(pause) },
      () => Promise.reject(new Transient('throttled')),
    );

    expect(outcome).toEqual({ kind: 'timeout', lastError: expect.any(Transient) });
    expect(clock.pauses.slice(0, 7)).toEqual([
      FIRST_BACKOFF_MS,
      FIRST_BACKOFF_MS * 2,
      FIRST_BACKOFF_MS * 4,
      FIRST_BACKOFF_MS * 8,
      FIRST_BACKOFF_MS * 16,
      MAX_BACKOFF_MS,
      MAX_BACKOFF_MS,
    ]);
    expect(retries[0]).toBe(FIRST_BACKOFF_MS);
  });

  it('ends the wait on any other error by throwing it', async () => {
    const failure = new Error('access denied');

    await expect(
      pollUntil(
        virtualClock(),
        new AbortController().signal,
        { deadline: 1e6, intervalMs: 1, transient },
        () => Promise.reject(failure),
      ),
    ).rejects.toBe(failure);
  });

  it('stops when the signal aborts, and never sleeps past the deadline', async () => {
    const controller = new AbortController();
    const aborted = await pollUntil(
      virtualClock(),
      controller.signal,
      { deadline: Infinity, intervalMs: 1000, transient },
      () => {
        controller.abort();
        return Promise.resolve(undefined);
      },
    );
    expect(aborted).toEqual({ kind: 'aborted' });

    const clock = virtualClock();
    const late = await pollUntil(
      clock,
      new AbortController().signal,
      { deadline: 1500, intervalMs: 1000, transient },
      () => Promise.resolve(undefined),
    );
    expect(late).toEqual({ kind: 'timeout', lastError: null });
    expect(clock.pauses).toEqual([1000, 500]);
  });
});
