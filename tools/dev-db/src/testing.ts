import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';

import { TEST_DB_ROOT_DIR } from './lib/paths';

const SCRIPT = '/usr/bin/script';

/** A command run the way a developer runs it: in a terminal, as a process group of its own. */
export interface TerminalProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, escape sequences removed. */
  output(): string;
  /** Resolves once `pattern` appears in the output; rejects after `timeoutMs`, quoting it. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Ctrl-C: SIGINT to the whole foreground process group. */
  interrupt(): void;
  /** The exit code once it ends (128 + n for a signal); rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number>;
  /** Ends it at once if it still runs (for a test's clean-up after a failure). */
  kill(): void;
}

/** True where util-linux `script` can give a command a pseudo-terminal. */
export const hasTerminal = existsSync(SCRIPT);

/**
 * Runs `command` through `sh -c` inside a pseudo-terminal (util-linux `script`), so tools that
 * behave differently on a TTY (Nx's prompts, its task runner) behave as they do for a person.
 * Without `script` it runs on plain pipes.
 */
export function runInTerminal(
  command: string,
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): TerminalProcess {
  const [file, args] = hasTerminal
    ? [SCRIPT, ['--quiet', '--flush', '--return', '--command', command, '/dev/null']]
    : ['/bin/sh', ['-c', command]];
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  const append = (chunk: Buffer) =>
    (text += stripVTControlCharacters(chunk.toString('utf8')).replaceAll('\r', ''));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal))),
  );
  return {
    child,
    output: () => text,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = text.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await sleep(100);
      }
      throw new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text.slice(-3000)}`);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGKILL');
    },
    // In a terminal, the pty turns ^C into SIGINT for its foreground process group.
    interrupt: () => (hasTerminal ? child.stdin?.write('\x03') : signalGroup(child, 'SIGINT')),
    exited: async (timeoutMs) => {
      const timer = new AbortController();
      const timedOut = sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => {
        signalGroup(child, 'SIGKILL');
        throw new Error(`still running after ${timeoutMs} ms; output:\n${text.slice(-3000)}`);
      });
      timedOut.catch(() => undefined);
      try {
        return await Promise.race([exit, timedOut]);
      } finally {
        timer.abort();
      }
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] : 0;
}

/**
 * The environment of a developer's terminal (interactive, not CI, no Nx daemon, as in a
 * container), for an `nx` command a test runs. Nx shares a running continuous task between the
 * nx processes of one workspace ("Waiting for dev-db:start in another nx process"), so each such
 * test gets Nx workspace data of its own: it must never attach to a developer's `nx serve api`
 * or to another suite's.
 */
export async function developerNxEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  await mkdir(TEST_DB_ROOT_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_WORKSPACE_DATA_DIRECTORY: await mkdtemp(join(TEST_DB_ROOT_DIR, 'nx-workspace-data-')),
    ...extra,
  };
  for (const key of ['CI', 'DATABASE_URL', 'NODE_ENV', 'TEST_DATABASE_URL']) delete env[key];
  return env;
}
