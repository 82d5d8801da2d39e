import { createInterface } from 'node:readline/promises';

import ora from 'ora';

/** Live progress for waits: a spinner on a terminal, else plain lines on stderr. */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
}

/**
 * Where a command's words go: results to stdout (the only thing scripts parse), messages and
 * progress to stderr (cdk-assets' logging split), so `--json | jq` always works.
 */
/** Functions, not methods: commands pass `io.out` or `io.err` on as a line sink. */
export interface Io {
  /** One line of result. */
  readonly out: (line: string) => void;
  /** A warning or error for people; always shown. */
  readonly err: (line: string) => void;
  /** Detail shown only with --verbose. */
  readonly debug: (line: string) => void;
  readonly progress: (text: string) => Progress;
  /** Whether a person can answer a prompt (stdin and stderr are terminals). */
  readonly interactive: boolean;
  readonly confirm: (question: string) => Promise<boolean>;
}

/** Off a terminal (CI logs), a long wait says where it is at most this often. */
export const PLAIN_PROGRESS_EVERY_MS = 15_000;

export interface ConsoleIoOptions {
  verbose: boolean;
  /** False with --no-color or NO_COLOR: no ANSI colour anywhere. */
  color?: boolean;
  /** The clock plain progress lines are spaced by. */
  now?: () => number;
  /** Called once when stdout's reader went away (EPIPE: `prod-e logs | head`). */
  onStdoutClosed?: () => void;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Whether `NO_COLOR` asks for no colour (any non-empty value, per no-color.org). */
export function colorWanted(args: readonly string[], env: Record<string, string | undefined>) {
  return !args.includes('--no-color') && !env.NO_COLOR;
}

const noop = () => undefined;

function spinner(stream: NodeJS.WriteStream, text: string, color: boolean): Progress {
  const s = ora({ text, stream, color: color ? 'cyan' : false }).start();
  // ora's own symbols are coloured; without colour the same symbols are written plain.
  const end = (symbol: string, final: string, styled: (t: string) => void) =>
    color ? styled(final) : void s.stopAndPersist({ symbol, text: final });
  return {
    update: (next) => void (s.text = next),
    succeed: (final) => end('✔', final, (t) => void s.succeed(t)),
    fail: (final) => end('✖', final, (t) => void s.fail(t)),
  };
}

/**
 * Plain progress: with --verbose each change; otherwise nothing for quick commands, then at most
 * one line every PLAIN_PROGRESS_EVERY_MS, and the final line if anything was said before.
 */
function plain(err: (line: string) => void, text: string, verbose: boolean, now: () => number) {
  if (verbose) {
    let last = '';
    const emit = (next: string) => {
      if (next !== last) err(next);
      last = next;
    };
    emit(text);
    return { update: emit, succeed: err, fail: err };
  }
  let lastAt = now();
  let spoke = false;
  const final = (line: string) => spoke && err(line);
  return {
    update: (next: string) => {
      if (now() - lastAt < PLAIN_PROGRESS_EVERY_MS) return;
      err(next);
      lastAt = now();
      spoke = true;
    },
    succeed: final,
    fail: final,
  };
}

export function consoleIo(options: ConsoleIoOptions): Io {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const stdin = options.stdin ?? process.stdin;
  const color = options.color ?? true;
  let closed = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (error.code === 'EPIPE') options.onStdoutClosed?.();
    else stderr.write(`Error: cannot write to stdout: ${error.message}\n`);
  });
  // A closed stderr (`2>&1 | head`) must not crash the command either.
  stderr.on('error', noop);
  const out = (text: string) => void (closed || stdout.write(`${text}\n`));
  const err = (text: string) => void stderr.write(`${text}\n`);
  // A pty that reports 0 columns makes a spinner redraw without end: treat it as no terminal.
  const terminal = Boolean(stderr.isTTY && (stderr.columns ?? 0) > 0);
  return {
    out,
    err,
    debug: (text) => options.verbose && err(text),
    interactive: Boolean(stdin.isTTY && stderr.isTTY),
    progress: (text) =>
      terminal
        ? spinner(stderr, text, color)
        : plain(err, text, options.verbose, options.now ?? Date.now),
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
