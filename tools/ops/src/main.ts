import { Command } from 'commander';

import { cleanupCommand } from './commands/cleanup';
import { type CommandFactory } from './commands/common';
import { logsCommand } from './commands/logs';
import { migrateCommand } from './commands/migrate';
import { resourcesCommand } from './commands/resources';
import { rollbackCommand } from './commands/rollback';
import { smokeCommand } from './commands/smoke';
import { statusCommand } from './commands/status';
import { verifyCommand } from './commands/verify';
import { handleError } from './lib/handle-error';
import { consoleIo } from './lib/io';
import { defaultAws, type Runtime, systemClock } from './lib/runtime';

const COMMANDS: readonly CommandFactory[] = [
  statusCommand,
  verifyCommand,
  logsCommand,
  rollbackCommand,
  resourcesCommand,
  cleanupCommand,
  smokeCommand,
  migrateCommand,
];

/** The `prod-e` program with every subcommand registered (shadcn's index.ts layout). */
export function buildProgram(runtime: Runtime, setExitCode: (code: number) => void): Command {
  // Commander's help and usage messages go through the same Io as everything else.
  const output = {
    writeOut: (text: string) => runtime.io.out(text.trimEnd()),
    writeErr: (text: string) => runtime.io.err(text.trimEnd()),
  };
  const program = new Command('prod-e')
    .description(
      'Ops for the prod-e ECS Fargate service: is it healthy, what changed, why did the deploy fail, take me back.',
    )
    .option('-v, --verbose', 'progress and error detail on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput(output)
    .exitOverride();
  for (const factory of COMMANDS) {
    program.addCommand(
      factory(runtime, setExitCode).configureOutput(output).exitOverride().showHelpAfterError(),
    );
  }
  return program;
}

/** Runs the CLI with `args` (without node and script) and resolves to the exit code. */
export async function run(args: readonly string[], runtime: Runtime): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(runtime, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, runtime.io);
  }
}

/** The bin's entry: real console, clock, AWS and Ctrl-C; exits through process.exitCode. */
export async function cli(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  const runtime: Runtime = {
    io: consoleIo({ verbose: args.includes('--verbose') || args.includes('-v') }),
    clock: systemClock,
    env: process.env,
    signal: controller.signal,
    aws: defaultAws,
  };
  process.exitCode = await run(args, runtime);
  process.off('SIGINT', onSignal);
}
