import { execFile } from 'node:child_process';
import { chown, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { CliError } from '@prod-e/cli-kit';

import type { ServerUser } from './server-user';

const run = promisify(execFile);

/** One PostgreSQL cluster on disk and how its server is run. */
export interface Cluster {
  /** The build's root: bin/, lib/, share/. */
  readonly binDir: string;
  readonly dataDir: string;
  readonly port: number;
  /** The account the server runs as; undefined: this process's user. */
  readonly user?: ServerUser;
  /** Extra `postgres` arguments (`-c name=value` pairs). */
  readonly flags: readonly string[];
}

/** Where pg_ctl sends the server's output, inside the data directory the server owns. */
export const serverLogFile = (dataDir: string) => join(dataDir, 'server.log');

async function tool(cluster: Cluster, name: string, args: string[], timeoutMs: number) {
  return run(join(cluster.binDir, 'bin', name), args, {
    uid: cluster.user?.uid,
    gid: cluster.user?.gid,
    // The server resolves relative paths against its working directory; a root-only one
    // (root's home) would be unreadable to the account it runs as.
    cwd: '/',
    env: { ...process.env, LC_ALL: 'C' },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
}

/** Runs initdb on an empty `dataDir`, with a password-protected superuser. */
export async function initCluster(
  cluster: Cluster,
  superuser: { name: string; password: string },
  timeoutMs: number,
): Promise<void> {
  // Next to the data directory, readable by the server's account only, gone right after.
  const passwordFile = `${cluster.dataDir}.pwfile`;
  await writeFile(passwordFile, `${superuser.password}\n`, { mode: 0o600 });
  try {
    if (cluster.user) await chown(passwordFile, cluster.user.uid, cluster.user.gid);
    await tool(
      cluster,
      'initdb',
      [
        `--pgdata=${cluster.dataDir}`,
        '--auth=scram-sha-256',
        `--username=${superuser.name}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      timeoutMs,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Starts the server with `pg_ctl start --wait`, so the wait is bounded and a server that exits
 * during start-up fails at once. pg_ctl detaches the server into a session of its own: Ctrl-C in
 * a terminal and the process-tree kill of a task runner (Nx signals leaf processes first) never
 * reach PostgreSQL's helper processes, and `stopCluster` shuts it down cleanly instead.
 */
export async function startCluster(cluster: Cluster, timeoutMs: number): Promise<void> {
  const options = ['-p', String(cluster.port), ...cluster.flags].map(shellQuote).join(' ');
  await tool(
    cluster,
    'pg_ctl',
    [
      'start',
      '--wait',
      `--timeout=${Math.ceil(timeoutMs / 1000)}`,
      `--pgdata=${cluster.dataDir}`,
      `--log=${serverLogFile(cluster.dataDir)}`,
      `--options=${options}`,
    ],
    timeoutMs + 5_000,
  );
}

/** The pid of the server running on `dataDir`, from its postmaster.pid, if it is alive. */
export async function runningServerPid(dataDir: string): Promise<number | undefined> {
  const lock = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(lock?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Gone between the look-up and the signal: that is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitUntilStopped(dataDir: string, pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The server removes postmaster.pid as the last step of a clean shutdown.
    if ((await runningServerPid(dataDir)) !== pid) return true;
    await sleep(50);
  }
  return false;
}

/**
 * Stops the server with a fast shutdown (SIGINT: sessions end, a checkpoint is written, the
 * cluster is left "shut down"), bounded by `timeoutMs`; then an immediate one (SIGQUIT, which
 * leaves crash recovery for the next start). Signals go to the server itself, so this works in
 * a signal handler without starting any process.
 */
export async function stopCluster(dataDir: string, timeoutMs: number): Promise<void> {
  const pid = await runningServerPid(dataDir);
  if (pid === undefined) return;
  signal(pid, 'SIGINT');
  if (await waitUntilStopped(dataDir, pid, timeoutMs)) return;
  signal(pid, 'SIGQUIT');
  if (await waitUntilStopped(dataDir, pid, 5_000)) return;
  throw new CliError(`dev-db: PostgreSQL (pid ${pid}, data in ${dataDir}) did not stop`);
}
