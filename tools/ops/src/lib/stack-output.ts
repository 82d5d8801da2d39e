import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { type ResourceNames } from '@prod-e/deployment';

const run = promisify(execFile);

/** The workspace root, from this file's place in tools/ops/src/lib. */
const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** Where `infra:synth` writes a stack and `infra:deploy` runs terraform for it. */
export function synthesizedStackDir(names: ResourceNames, root = WORKSPACE_ROOT): string {
  return join(root, 'apps', 'infra', 'cdktf.out', 'stacks', names.stack);
}

/**
 * One output of the applied stack (`terraform output -raw <name>` where `infra:deploy` ran it),
 * or undefined when this checkout has no initialized stack or terraform cannot read the state.
 */
export async function terraformStackOutput(
  names: ResourceNames,
  name: string,
  root = WORKSPACE_ROOT,
): Promise<string | undefined> {
  const dir = synthesizedStackDir(names, root);
  if (!existsSync(join(dir, '.terraform'))) return undefined;
  try {
    const { stdout } = await run('terraform', ['output', '-raw', name], {
      cwd: dir,
      timeout: 60_000,
      env: { ...process.env, TF_IN_AUTOMATION: 'true', TF_INPUT: '0' },
    });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
