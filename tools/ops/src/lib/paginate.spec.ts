import { allPages } from './paginate';

describe('allPages', () => {
  it('follows the token through every page, in order', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = {
      first: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [4] },
    };
    const asked: (string | undefined)[] = [];

    const result = await allPages(
      (token) => {
        asked.push(token);
        return Promise.resolve(pages[token ?? 'first']);
      },
      (page) => page.next,
    );

    expect(result.flatMap((p) => p.items)).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  it('stops on an empty-string token (the Tagging API) and on a repeated token', async () => {
    const emptyEnd = await allPages(
      () => Promise.resolve({ token: '' }),
      (page) => page.token,
    );
    let calls = 0;
    const repeated = await allPages(
      () => {
        calls += 1;
        return Promise.resolve({ token: 'same' });
      },
      (page) => page.token,
    );

    expect(emptyEnd).toHaveLength(1);
    expect(repeated).toHaveLength(2);
    expect(calls).toBe(2);
  });
});
