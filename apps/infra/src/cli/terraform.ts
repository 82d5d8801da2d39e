import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { CliError, configureCommand, runCli } from '@prod-e/cli-kit';
import {
  committedSettingsInput,
  DEFAULT_REGION,
  ENVIRONMENT_VARIABLE,
  PRIMARY_ENVIRONMENT,
  resourceNames,
} from '@prod-e/deployment';
import { Argument, Command } from 'commander';

import { bootstrapStackId } from '../stacks/bootstrap-stack';
import { checkPrerequisites } from './prerequisites';

const COMMANDS = {
  diff: ['plan', '-input=false'],
  deploy: ['apply', '-input=false'],
  destroy: ['destroy', '-input=false'],
} as const;
type TerraformCommand = keyof typeof COMMANDS;

const OUT_DIR = path.resolve(__dirname, '..', '..', 'cdktf.out');

export interface TerraformRun {
  readonly command: TerraformCommand;
  readonly stack: string;
  /** The stack's region (STS is asked there). */
  readonly region: string;
  /** Arguments for terraform itself (`-auto-approve`, `-target=…`). */
  readonly passThrough: string[];
}

/** The commander program: `<diff|deploy|destroy> [--stack <id> | --bootstrap] [terraform args]`. */
function terraformProgram(): Command {
  // No -v/--verbose here: terraform's own single-dash flags (-var=…) must reach it untouched.
  return configureCommand(new Command('terraform.ts'))
    .description('terraform init, then plan, apply or destroy, in a synthesized stack')
    .addArgument(new Argument('<command>').choices(Object.keys(COMMANDS)))
    .argument('[terraform-args...]', 'passed through to terraform')
    .option('--stack <id>', "the stack (default: the environment's service stack)")
    .option('--bootstrap', "the environment's account bootstrap stack")
    .allowUnknownOption();
}

/**
 * Reads the command, the stack (`--stack <id>`, or `--bootstrap` for the environment's bootstrap
 * stack, else the environment's service stack: `prod-e` for prod) and what goes to terraform.
 * @throws CommanderError on a usage error (commander has printed it)
 */
export function parseArgs(
  args: readonly string[],
  env: Record<string, string | undefined>,
): TerraformRun {
  const program = terraformProgram().parse([...args], { from: 'user' });
  const options = program.opts<{ stack?: string; bootstrap?: boolean }>();
  const [command, passThrough] = program.processedArgs as [TerraformCommand, string[]];
  const environment = env[ENVIRONMENT_VARIABLE] || PRIMARY_ENVIRONMENT;
  const committed = committedSettingsInput(environment);
  const region = committed.region ?? DEFAULT_REGION;
  const stack =
    options.stack ??
    (options.bootstrap
      ? bootstrapStackId({ accountId: committed.accountId, region })
      : resourceNames(environment).stack);
  return { command, stack, region, passThrough };
}

/** Runs terraform init, then plan/apply/destroy, in the synthesized stack's directory. */
export async function run(argv: readonly string[], env = process.env): Promise<number> {
  const { command, stack, region, passThrough } = parseArgs(argv, env);
  const { terraform, account } = await checkPrerequisites(`${command} ${stack}`, { env, region });
  const dir = path.join(OUT_DIR, 'stacks', stack);
  if (!existsSync(path.join(dir, 'cdk.tf.json'))) {
    throw new CliError(`Stack ${stack} is not synthesized in ${dir}.`, {
      hint: 'Run `npx nx run infra:synth` first.',
    });
  }
  process.stderr.write(
    `${command} ${stack} in account ${account ?? '(unknown)'} with ${terraform}\n`,
  );
  for (const args of [
    ['init', '-input=false'],
    [...COMMANDS[command], ...passThrough],
  ]) {
    const result = spawnSync(terraform, args, { cwd: dir, stdio: 'inherit', env });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

if (require.main === module) void runCli('infra terraform', () => run(process.argv.slice(2)));
