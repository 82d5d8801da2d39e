import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
  committedSettingsInput,
  DEFAULT_REGION,
  PRIMARY_ENVIRONMENT,
  resourceNames,
} from '@prod-e/deployment';

import { bootstrapStackId } from '../stacks/bootstrap-stack';
import { checkPrerequisites, PrerequisiteError } from './prerequisites';

const COMMANDS = {
  diff: [['plan', '-input=false']],
  deploy: [['apply', '-input=false']],
  destroy: [['destroy', '-input=false']],
} as const;
type Command = keyof typeof COMMANDS;

const OUT_DIR = path.resolve(__dirname, '..', '..', 'cdktf.out');

/**
 * Splits `--stack <id>` / `--stack=<id>` (or `--bootstrap`, the environment's bootstrap stack) from
 * the arguments passed through to terraform.
 */
export function parseArgs(
  args: readonly string[],
  env: Record<string, string | undefined>,
): { stack: string; passThrough: string[] } {
  let stack: string | undefined;
  const passThrough: string[] = [];
  const environment = env.PROD_E_ENVIRONMENT || PRIMARY_ENVIRONMENT;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--stack') stack = args[++i];
    else if (args[i].startsWith('--stack=')) stack = args[i].slice('--stack='.length);
    else if (args[i] === '--bootstrap') {
      const committed = committedSettingsInput(environment);
      stack = bootstrapStackId({
        accountId: committed.accountId,
        region: committed.region ?? DEFAULT_REGION,
      });
    } else passThrough.push(args[i]);
  }
  // Default: the environment's service stack (`prod-e` for prod).
  return { stack: stack || resourceNames(environment).stack, passThrough };
}

/** Runs terraform init, then plan/apply/destroy, in the synthesized stack's directory. */
export async function run(argv: readonly string[], env = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (!(command in COMMANDS)) {
    process.stderr.write(
      `Usage: terraform.ts <${Object.keys(COMMANDS).join('|')}> [--stack <id>] [terraform args]\n`,
    );
    return 1;
  }
  try {
    const { terraform, account } = await checkPrerequisites({ env });
    const { stack, passThrough } = parseArgs(rest, env);
    const dir = path.join(OUT_DIR, 'stacks', stack);
    if (!existsSync(path.join(dir, 'cdk.tf.json'))) {
      throw new PrerequisiteError(
        `Stack ${stack} is not synthesized in ${dir}: run \`npx nx run infra:synth\` first.`,
      );
    }
    process.stderr.write(
      `${command} ${stack} in account ${account ?? '(unknown)'} with ${terraform}\n`,
    );
    for (const args of [
      ['init', '-input=false'],
      ...COMMANDS[command as Command].map((a) => [...a, ...passThrough]),
    ]) {
      const result = spawnSync(terraform, args, { cwd: dir, stdio: 'inherit', env });
      if (result.status !== 0) return result.status ?? 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof PrerequisiteError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
