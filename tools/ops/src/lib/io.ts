import { createInterface } from 'node:readline/promises';

import ora from 'ora';

/** Live progress for waits: a spinner on a terminal, plain lines with --verbose, else nothing. */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
}

/**
 * Where a command's words go: results to stdout (the only thing scripts parse), messages and
 * progress to stderr (cdk-assets' logging split), so `--json | jq` always works.
 */
export interface Io {
  /** One line of result. */
  out(line: string): void;
  /** A warning or error for people; always shown. */
  err(line: string): void;
  /** Detail shown only with --verbose. */
  debug(line: string): void;
  progress(text: string): Progress;
  /** Whether a person can answer a prompt (stdin and stderr are terminals). */
  readonly interactive: boolean;
  confirm(question: string): Promise<boolean>;
}

export interface ConsoleIoOptions {
  verbose: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

const noop = () => undefined;

export function consoleIo(options: ConsoleIoOptions): Io {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const line = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(`${text}\n`);
  const err = line(stderr);
  return {
    out: line(stdout),
    err,
    debug: (text) => options.verbose && err(text),
    interactive: Boolean(stdin.isTTY && stderr.isTTY),
    progress: (text) => {
      if (stderr.isTTY) {
        const spinner = ora({ text, stream: stderr }).start();
        return {
          update: (next) => void (spinner.text = next),
          succeed: (final) => void spinner.succeed(final),
          fail: (final) => void spinner.fail(final),
        };
      }
      if (!options.verbose) return { update: noop, succeed: noop, fail: noop };
      let last = '';
      const emit = (next: string) => {
        if (next !== last) err(next);
        last = next;
      };
      emit(text);
      return { update: emit, succeed: err, fail: err };
    },
    confirm: async (question) => {
      const rl = createInterface({ input: stdin, output: stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}
