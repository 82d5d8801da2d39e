import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface ExecOptions {
  /** Written to the child's stdin (e.g. a registry password for `--password-stdin`). */
  readonly input?: string;
  /** `inherit` streams the child's output to the user (builds, terraform); `pipe` captures it. */
  readonly stdio?: 'pipe' | 'inherit';
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface ExecResult {
  readonly exitCode: number;
  /** The executable is not on PATH (spawn ENOENT); exitCode is then 127, as in a shell. */
  readonly notFound: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program without a shell (arguments are never re-parsed). Injected so tests can fake it. */
export type Exec = (
  file: string,
  args: readonly string[],
  options?: ExecOptions,
) => Promise<ExecResult>;

export const exec: Exec = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const inherit = options.stdio === 'inherit';
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [
        options.input === undefined ? 'ignore' : 'pipe',
        inherit ? 'inherit' : 'pipe',
        inherit ? 'inherit' : 'pipe',
      ],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (error.code === 'ENOENT') resolve({ exitCode: 127, notFound: true, stdout, stderr });
      else reject(error);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      // A child killed by a signal has no exit code; report it the way a shell does (128 + n).
      resolve({
        exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0),
        notFound: false,
        stdout,
        stderr,
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
