import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks a presented token against the accepted list (several during a rotation) in constant
 * time: both sides are reduced to SHA-256 digests of equal length before timingSafeEqual, and
 * every accepted token is compared, so timing reveals neither which token matched nor how long
 * the tokens are.
 */
export function tokenMatcher(accepted: readonly string[]): (presented: string) => boolean {
  const digests = accepted.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(candidate, expected) || matched;
    return matched;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
