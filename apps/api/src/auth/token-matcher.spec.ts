import { tokenMatcher } from './token-matcher';

describe('tokenMatcher', () => {
  describe('with two accepted tokens (a rotation)', () => {
    const matches = tokenMatcher(['current-token-0123456789', 'previous-token-0123456789']);

    it('accepts either token', () => {
      expect([matches('current-token-0123456789'), matches('previous-token-0123456789')]).toEqual([
        true,
        true,
      ]);
    });

    it('rejects other tokens, prefixes and extensions of accepted ones', () => {
      expect([
        matches('wrong-token-0123456789'),
        matches('current-token'),
        matches('current-token-0123456789x'),
        matches(''),
      ]).toEqual([false, false, false, false]);
    });
  });

  describe('with no accepted tokens', () => {
    it('rejects everything', () => {
      expect(tokenMatcher([])('anything-at-all-123')).toBe(false);
    });
  });
});
