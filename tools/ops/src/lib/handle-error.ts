import { CommanderError } from 'commander';

import { ExitCode, OpsError } from './errors';
import { type Io } from './io';

/** Exit code for a bug (EX_SOFTWARE): anything that is not an OpsError. */
export const INTERNAL_ERROR_EXIT_CODE = 70;

/**
 * The one place errors become output: one sentence on stderr, the suggestion on the next line,
 * the cause chain only with --verbose. Returns the exit code; callers set process.exitCode.
 */
export function handleError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander already printed help or its usage message.
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  if (error instanceof OpsError) {
    io.err(`Error: ${error.message}`);
    if (error.suggestion) io.err(`Hint: ${error.suggestion}`);
    if (Object.keys(error.context).length) io.debug(`Context: ${JSON.stringify(error.context)}`);
    let cause: unknown = error.cause;
    while (cause instanceof Error) {
      io.debug(`Caused by: ${cause.stack ?? cause.message}`);
      cause = cause.cause;
    }
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  io.err(`Error: unexpected failure: ${e.message}`);
  io.err('Hint: this is a bug in prod-e; rerun with --verbose and report the output.');
  io.debug(e.stack ?? '');
  return INTERNAL_ERROR_EXIT_CODE;
}
