/**
 * Exit codes every CLI of the workspace shares (sysexits.h where one fits). Commands with more
 * kinds of outcome (the `prod-e` CLI) add their own between FAILED and USAGE.
 */
export const ExitCode = {
  OK: 0,
  /** The command ran and something it checked or needed failed. */
  FAILED: 1,
  /** Bad command-line options or settings (EX_USAGE). */
  USAGE: 64,
  /** A bug: anything thrown that is not a CliError (EX_SOFTWARE). */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it. */
  INTERRUPTED: 130,
} as const;

export interface CliErrorOptions {
  /** The next thing to try, printed on its own line after the message. */
  readonly hint?: string;
  /** @default ExitCode.FAILED */
  readonly exitCode?: number;
  /** The original error, printed only with --verbose. */
  readonly cause?: unknown;
}

/**
 * The one error type of the workspace's CLIs: an expected failure, said in one sentence for
 * people (`message`), with the next step (`hint`) and the process exit code. The top-level
 * handler ({@link reportError}) prints it without a stack.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.FAILED;
  }

  /** Extra lines for --verbose (what the command was doing); subclasses with context add them. */
  details(): readonly string[] {
    return [];
  }
}
