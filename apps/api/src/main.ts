import { join } from 'node:path';

import { WRITE_CODE_CACHE_COMMAND } from '@prod-e/config/container-commands';

import { runBundle } from './boot/bundle-loader';
import { writeCodeCacheAfterWarmUp } from './boot/warm-up';

/**
 * The container's entry point (`node main.js`): a small loader for the server bundle
 * (server.js, src/server.ts), which it compiles with the V8 code cache the image build wrote
 * next to it. `node main.js write-code-cache` writes that cache; any other arguments
 * (`migrate [--dry-run]`) are the server's.
 */
const SERVER_BUNDLE = join(__dirname, 'server.js');

if (process.argv[2] === WRITE_CODE_CACHE_COMMAND) {
  writeCodeCacheAfterWarmUp(SERVER_BUNDLE).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`write-code-cache failed: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
} else {
  runBundle(SERVER_BUNDLE, { useCache: true });
}
