import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { constants, Script } from 'node:vm';

import { codeCachePath, readCodeCache } from './code-cache';

export interface LoadedBundle {
  readonly file: string;
  readonly source: string;
  readonly script: Script;
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;

/**
 * Runs a CommonJS bundle the way `require` would (same wrapper, `require` resolving from the
 * bundle's directory), but compiled through `vm.Script`, the one API that accepts V8 cached data
 * and can produce it again after the code has run. Node's CommonJS loader offers neither on
 * Node 20, and on Node 22+ its compile cache keeps only the eagerly compiled top level.
 */
export function runBundle(file: string, options: { useCache: boolean }): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  const cache = options.useCache ? readCodeCache(file, source) : undefined;
  const cachedData = cache?.kind === 'found' ? cache.cachedData : undefined;
  if (cache?.kind === 'stale') {
    console.error(`${codeCachePath(file)} was written for another build of ${file}; compiling`);
  }
  const script = new Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData && script.cachedDataRejected) {
    // Another Node.js version or other V8 flags than when the cache was written: still correct.
    console.error(`V8 rejected ${codeCachePath(file)} (other Node.js or V8 flags); compiling`);
  }
  const bundleModule = new Module(file);
  bundleModule.filename = file;
  const wrapper = script.runInThisContext() as CommonJsWrapper;
  wrapper.call(
    bundleModule.exports,
    bundleModule.exports,
    createRequire(file),
    bundleModule,
    file,
    dirname(file),
  );
  return { file, source, script };
}
