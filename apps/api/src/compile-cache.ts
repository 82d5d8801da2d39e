import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node ≥ 22.1 (the production image runs 24) can cache the compiled code of every module it
 * loads, which shortens later starts of the same image. The root filesystem is read-only in the
 * task, so the cache goes under the OS temp dir (writable /tmp). On Node 20 this is a no-op; a
 * cache that cannot be written only costs the speed-up, never the start.
 */
export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown })
    .enableCompileCache;
  try {
    enable?.(join(tmpdir(), 'prod-e-api-compile-cache'));
  } catch {
    // best effort
  }
}

enableCompileCache();
