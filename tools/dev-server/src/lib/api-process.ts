import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** The API built for development, run the way the container runs it, with source maps on. */
export class ApiProcess {
  private child: ChildProcess | undefined;

  constructor(
    private readonly buildDir: string,
    private readonly env: NodeJS.ProcessEnv,
    /** How long a stop may take before SIGKILL: the API's own shutdown deadline, plus a margin. */
    private readonly stopTimeoutMs: number,
    private readonly onExit: (code: number | null) => void,
  ) {}

  start(): void {
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', join(this.buildDir, 'main.js')],
      {
        env: this.env,
        stdio: 'inherit',
      },
    );
    child.once('exit', (code) => {
      if (this.child === child) {
        this.child = undefined;
        this.onExit(code);
      }
    });
    this.child = child;
  }

  /** SIGTERM (the API drains, flushes and exits), then SIGKILL if it outlives the deadline. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = undefined; // an exit we asked for is not reported as a crash
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  get running(): boolean {
    return this.child !== undefined;
  }
}
