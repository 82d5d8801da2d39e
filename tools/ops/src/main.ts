import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { cliProgram, configureCommand, ExitCode, reportError } from '@prod-e/cli-kit';
import { type Command } from 'commander';

import { cleanupCommand } from './commands/cleanup';
import { type CommandFactory } from './commands/common';
import { logsCommand } from './commands/logs';
import { migrateCommand } from './commands/migrate';
import { resourcesCommand } from './commands/resources';
import { rollbackCommand } from './commands/rollback';
import { smokeCommand } from './commands/smoke';
import { statusCommand } from './commands/status';
import { verifyCommand } from './commands/verify';
import { colorWanted, consoleIo } from './lib/io';
import { preflightCommand } from './commands/preflight';
import { defaultAws, defaultStackOutput, type Runtime, systemClock } from './lib/runtime';

const COMMANDS: readonly CommandFactory[] = [
  statusCommand,
  verifyCommand,
  logsCommand,
  rollbackCommand,
  resourcesCommand,
  cleanupCommand,
  smokeCommand,
  migrateCommand,
  preflightCommand,
];

/** The CLI's own version, from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The `prod-e` program with every subcommand registered (shadcn's index.ts layout). */
export function buildProgram(runtime: Runtime, setExitCode: (code: number) => void): Command {
  // Commander's help and usage messages go through the same Io as everything else.
  const program = cliProgram('prod-e', runtime.io)
    .description(
      'Ops for the prod-e ECS Fargate service: is it healthy, what changed, why did the deploy fail, take me back.',
    )
    .version(version(), '-V, --version', 'print the version of prod-e')
    .option('--no-color', 'no colour in progress output (also: NO_COLOR=1)');
  for (const factory of COMMANDS) {
    program.addCommand(configureCommand(factory(runtime, setExitCode), runtime.io));
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
    return reportError(error, runtime.io, 'prod-e');
  }
}

/**
 * The bin's entry: real console, clock, AWS and Ctrl-C; exits through process.exitCode. When
 * stdout's reader goes away (`prod-e logs | head -2`), the command is stopped like Ctrl-C and
 * exits 0 without a word, as Unix tools do on SIGPIPE.
 */
export async function cli(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  let stdoutClosed = false;
  const onSignal = () => {
    // A second Ctrl-C does not wait for the first to wind down.
    if (controller.signal.aborted) process.exit(ExitCode.INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  const io = consoleIo({
    verbose: args.includes('--verbose') || args.includes('-v'),
    color: colorWanted(args, process.env),
    now: systemClock.now,
    onStdoutClosed: () => {
      stdoutClosed = true;
      controller.abort();
    },
  });
  const runtime: Runtime = {
    io: { ...io, err: (line) => stdoutClosed || io.err(line) },
    clock: systemClock,
    env: process.env,
    signal: controller.signal,
    aws: defaultAws,
    stackOutput: defaultStackOutput,
  };
  const code = await run(args, runtime);
  process.exitCode = stdoutClosed ? 0 : code;
  process.off('SIGINT', onSignal);
}
