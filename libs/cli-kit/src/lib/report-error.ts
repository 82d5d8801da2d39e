import { CommanderError } from 'commander';

import { CliError, ExitCode } from './cli-error';

/** Where the handler writes: `err` always, `debug` only with --verbose. */
export interface ErrorOutput {
  err(line: string): void;
  debug(line: string): void;
}

/**
 * The one place a CLI's failure becomes output: `Error: <message>` on stderr, `Hint: <hint>` on
 * the next line, the cause chain (and any extra lines the error offers) only with --verbose.
 * Returns the exit code: the CliError's own, 1 for invalid settings, 64 for a usage error
 * commander already printed, 70 for anything else (a bug).
 */
export function reportError(error: unknown, output: ErrorOutput, program: string): number {
  if (error instanceof CommanderError) {
    // Commander already printed the help or its usage message.
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  if (error instanceof CliError) {
    output.err(`Error: ${error.message}`);
    if (error.hint) output.err(`Hint: ${error.hint}`);
    debugDetails(error, output);
    return error.exitCode;
  }
  if (isSettingsError(error)) {
    output.err(`Error: ${error.message}`);
    return ExitCode.FAILED;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  output.err(`Error: unexpected failure: ${e.message}`);
  output.err(`Hint: this is a bug in ${program}; rerun with --verbose and report the output.`);
  output.debug(e.stack ?? '');
  return ExitCode.INTERNAL;
}

/**
 * Invalid settings: `ConfigError` of `@prod-e/api-config`, whose message already names every bad
 * key. Recognised by its shape, so this kit stays a leaf library (the API throws ConfigError
 * too, and must not pull a CLI toolkit in).
 */
function isSettingsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    error.name === 'ConfigError' &&
    Array.isArray((error as { problems?: unknown }).problems)
  );
}

/** Lines a subclass adds for --verbose (what it was doing), then the chain of causes. */
function debugDetails(error: CliError, output: ErrorOutput): void {
  error.details().forEach((line) => output.debug(line));
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    output.debug(`Caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
}

/** stderr, with debug lines only when the arguments ask for them. */
export function stderrOutput(args: readonly string[] = process.argv.slice(2)): ErrorOutput {
  const verbose = args.includes('--verbose') || args.includes('-v');
  return {
    err: (line) => process.stderr.write(`${line}\n`),
    debug: (line) => (verbose ? process.stderr.write(`${line}\n`) : undefined),
  };
}

/**
 * Runs a script's main and exits through process.exitCode: main's own code (0 when it returns
 * nothing), else what {@link reportError} makes of its failure. main may be synchronous: what it
 * throws is reported the same way as a rejection.
 */
export function runCli(
  program: string,
  main: () => Promise<number | void> | number | void,
  output: ErrorOutput = stderrOutput(),
): Promise<void> {
  return Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code ?? ExitCode.OK;
      },
      (error: unknown) => {
        process.exitCode = reportError(error, output, program);
      },
    );
}
