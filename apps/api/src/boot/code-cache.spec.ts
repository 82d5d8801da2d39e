import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  codeCachePath,
  decodeCodeCache,
  encodeCodeCache,
  readCodeCache,
  writeCodeCache,
} from './code-cache';

describe('code cache file', () => {
  const source = 'module.exports = 42;';
  const cachedData = Buffer.from('v8 cached data');

  it('gives back the cached data for the source it was written for', () => {
    expect(decodeCodeCache(source, encodeCodeCache(source, cachedData))).toEqual({
      kind: 'found',
      cachedData,
    });
  });

  it('calls a cache written for other source stale, even of the same length', () => {
    const other = 'module.exports = 43;';
    expect(other).toHaveLength(source.length); // V8 alone would only compare lengths
    expect(decodeCodeCache(other, encodeCodeCache(source, cachedData))).toEqual({
      kind: 'stale',
    });
  });

  it('calls a truncated file stale', () => {
    const truncated = encodeCodeCache(source, cachedData).subarray(0, 32);
    expect(decodeCodeCache(source, truncated)).toEqual({ kind: 'stale' });
  });

  describe('next to a bundle', () => {
    let dir: string;
    let bundle: string;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'code-cache-'));
      bundle = join(dir, 'server.js');
      await writeFile(bundle, source);
    });

    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('is none when no cache was written', () => {
      expect(readCodeCache(bundle, source)).toEqual({ kind: 'none' });
    });

    it('round-trips through the file beside the bundle', () => {
      expect(writeCodeCache(bundle, source, cachedData)).toBe(join(dir, 'server.js.v8cache'));
      expect(codeCachePath(bundle)).toBe(join(dir, 'server.js.v8cache'));
      expect(readCodeCache(bundle, source)).toEqual({ kind: 'found', cachedData });
    });
  });
});
