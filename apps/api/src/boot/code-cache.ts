import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A V8 code cache for the server bundle: the bytecode of every function the server compiled
 * while warming up (`script.createCachedData()` after real requests, not only the top-level code
 * that Node's own compile cache keeps), so a new task starts without compiling them again.
 *
 * File layout: the SHA-256 of the bundle's source, then V8's cached data. V8 itself only checks
 * the source's length, its own version and its flags; the digest makes a cache left over from
 * another build of the same length harmless too.
 */
const DIGEST_BYTES = 32;

export const codeCachePath = (bundleFile: string) => `${bundleFile}.v8cache`;

const digestOf = (source: string) => createHash('sha256').update(source).digest();

export function encodeCodeCache(source: string, cachedData: Buffer): Buffer {
  return Buffer.concat([digestOf(source), cachedData]);
}

/** What lies next to a bundle: no cache, one written for another build of it, or a usable one. */
export type CodeCacheLookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'found'; readonly cachedData: Buffer };

/** V8's cached data, if the file was written for exactly this source. */
export function decodeCodeCache(source: string, file: Buffer): CodeCacheLookup {
  const fresh =
    file.length > DIGEST_BYTES && file.subarray(0, DIGEST_BYTES).equals(digestOf(source));
  return fresh ? { kind: 'found', cachedData: file.subarray(DIGEST_BYTES) } : { kind: 'stale' };
}

/** Reads the cache next to a bundle; a missing or unreadable cache only costs the speed-up. */
export function readCodeCache(bundleFile: string, source: string): CodeCacheLookup {
  let file: Buffer;
  try {
    file = readFileSync(codeCachePath(bundleFile));
  } catch {
    return { kind: 'none' };
  }
  return decodeCodeCache(source, file);
}

export function writeCodeCache(bundleFile: string, source: string, cachedData: Buffer): string {
  const path = codeCachePath(bundleFile);
  writeFileSync(path, encodeCodeCache(source, cachedData));
  return path;
}
