import { createRequire } from 'node:module';
import { join } from 'node:path';

import { API_SERVER_BUNDLE, WRITE_CODE_CACHE_COMMAND } from '@prod-e/api-config/container-commands';

import { runBundle } from './boot/bundle-loader';
import { writeCodeCacheAfterWarmUp } from './boot/warm-up';

/**
 * The container's entry point (`node main.js`): a small loader for the server bundle
 * (server.js, src/server.ts), which it compiles with the V8 code cache the image build wrote
 * next to it. `node main.js write-code-cache` writes that cache; any other arguments
 * (`migrate [--dry-run]`) are the server's.
 */
const SERVER_BUNDLE = join(__dirname, API_SERVER_BUNDLE);

if (process.argv[2] === WRITE_CODE_CACHE_COMMAND) {
  writeCodeCacheAfterWarmUp(SERVER_BUNDLE).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(
        `write-code-cache failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
} else if (process.sourceMapsEnabled) {
  // --enable-source-maps: Node maps stack traces only of code loaded by its module loader, not
  // of vm scripts, so debugging trades the code cache for TypeScript positions.
  createRequire(__filename)(SERVER_BUNDLE);
} else {
  runBundle(SERVER_BUNDLE, { useCache: true });
}
