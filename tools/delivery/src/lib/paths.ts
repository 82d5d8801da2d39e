import { join, resolve } from 'node:path';

/** The workspace root, from this file's place in tools/delivery/src/lib. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** The API image's Dockerfile; the build context is the workspace root. */
export const DOCKERFILE = join(WORKSPACE_ROOT, 'docker', 'api.Dockerfile');

/** BuildKit reads `<Dockerfile>.dockerignore` in place of the context root's `.dockerignore`. */
export const DOCKERIGNORE = `${DOCKERFILE}.dockerignore`;

export const COMPOSE_FILE = join(WORKSPACE_ROOT, 'docker', 'compose.yaml');
export const COMPOSE_DEV_FILE = join(WORKSPACE_ROOT, 'docker', 'compose.dev.yaml');
export const DEPLOY_WORKFLOW = join(WORKSPACE_ROOT, '.github', 'workflows', 'deploy.yml');

/** Where `nx build api` writes the bundle and its Nx-generated, pruned package.json + lockfile. */
export const API_DIST_DIR = join(WORKSPACE_ROOT, 'dist', 'apps', 'api');

/** `nx run infra:synth` output of one stack (CDKTF's layout). */
export function synthesizedStackFile(stack: string, root = WORKSPACE_ROOT): string {
  return join(root, 'apps', 'infra', 'cdktf.out', 'stacks', stack, 'cdk.tf.json');
}

/** Path as shown to people: relative to the workspace root. */
export function fromRoot(path: string): string {
  return path.startsWith(`${WORKSPACE_ROOT}/`) ? path.slice(WORKSPACE_ROOT.length + 1) : path;
}
