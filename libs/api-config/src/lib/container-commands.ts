/** The bundle's entry point inside the image's working directory: the loader. */
export const API_ENTRYPOINT = 'main.js';

/** The server bundle the loader compiles (with its V8 code cache, `<bundle>.v8cache`). */
export const API_SERVER_BUNDLE = 'server.js';

/**
 * The V8 flags the container starts Node with. In a 512 MiB task Node sizes V8's young generation
 * from the memory limit, down to 1 MiB semi-spaces. Under a 0.25 vCPU quota the process is paused
 * for most of every 100 ms period, so a request still in flight outlives two scavenges and its
 * objects are copied into the old generation, which then needs full collections: at 4,400 probes/s
 * that doubled p99 past 100 ms. 8 MiB semi-spaces keep request garbage young (ADR 0019).
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** The container's start command (Dockerfile CMD, exec form so SIGTERM reaches Node). */
export const API_START_COMMAND: readonly string[] = ['node', ...API_NODE_FLAGS, API_ENTRYPOINT];

/**
 * The command override that turns the API image into a one-off migration task: the deploy runs
 * it with the new task definition revision before the service update, and `prod-e migrate` on demand.
 */
export function migrationCommand(options: { dryRun?: boolean } = {}): string[] {
  return [...API_START_COMMAND, 'migrate', ...(options.dryRun ? ['--dry-run'] : [])];
}

/**
 * The image build step that warms the server up once and saves its V8 code cache next to the
 * bundle (`RUN node … main.js write-code-cache` in docker/api.Dockerfile's runtime stage). Heap
 * size flags do not change V8's cache check, so the start command's flags are harmless here.
 */
export const WRITE_CODE_CACHE_COMMAND = 'write-code-cache';
export const CODE_CACHE_BUILD_COMMAND: readonly string[] = [
  ...API_START_COMMAND,
  WRITE_CODE_CACHE_COMMAND,
];
