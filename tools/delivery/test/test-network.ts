import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a GET returned; status 0 when nothing answered. */
export interface NetworkResponse {
  readonly status: number;
  readonly body: string;
}

/** Where the artifact runs and how the test reaches it. */
export interface TestNetwork {
  /** Why this is not an isolated network, when it is not. */
  readonly sharedWithHost?: string;
  /** Spawns `command` there, as `user`; the returned process is the program itself. */
  spawn(
    command: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; user?: { uid: number; gid: number } },
  ): ChildProcess;
  /** Runs a shell command there (as ECS runs a CMD-SHELL health check): its exit code. */
  shell(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): number | null;
  /** GET `url` from there. */
  get(url: string): Promise<NetworkResponse>;
  close(): void;
}

const NOTHING: NetworkResponse = { status: 0, body: '' };

/** Why a network namespace cannot be made here, or undefined when it can. */
function namespaceUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a network namespace needs root (unshare --net)';
  for (const tool of ['unshare', 'nsenter', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not on PATH`;
  }
  return undefined;
}

/**
 * A network namespace of its own, as a container has, when this runs as root: its ports collide
 * with nothing on the machine (an `nx serve api` on 3000 included) and only its own loopback
 * exists inside. `unshare --net` makes it, a held `sleep` keeps it, `nsenter` joins it.
 * Elsewhere, the host's network, and `sharedWithHost` says why.
 */
export async function isolatedNetwork(): Promise<TestNetwork> {
  const unavailable = namespaceUnavailable();
  if (unavailable) return hostNetwork(unavailable);
  const holder = spawn(
    'unshare',
    ['--net', 'sh', '-c', 'ip link set lo up && echo ready && exec sleep infinity'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  holder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  holder.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let waited = 0; !output.includes('ready'); waited += 50) {
    if (holder.exitCode !== null || waited > 10_000)
      throw new Error(`could not create a network namespace: ${output || 'no output'}`);
    await sleep(50);
  }
  const enter = (user?: { uid: number; gid: number }) => [
    `--net=/proc/${holder.pid}/ns/net`,
    ...(user ? [`--setuid=${user.uid}`, `--setgid=${user.gid}`] : []),
    '--',
  ];
  return {
    spawn: (command, { cwd, env, user }) =>
      spawn('nsenter', [...enter(user), ...command], { cwd, env }),
    shell: (script, env, timeoutMs) =>
      spawnSync('nsenter', [...enter(), 'sh', '-c', script], { env, timeout: timeoutMs }).status,
    get: async (url) => {
      const program =
        `fetch(${JSON.stringify(url)}).then(async (r) => console.log(JSON.stringify(` +
        `{ status: r.status, body: await r.text() })), () => console.log('${JSON.stringify(NOTHING)}'))`;
      const { stdout } = await run('nsenter', [...enter(), process.execPath, '-e', program], {
        timeout: 15_000,
      }).catch(() => ({ stdout: '' }));
      return stdout ? (JSON.parse(stdout) as NetworkResponse) : NOTHING;
    },
    close: () => holder.kill('SIGKILL'),
  };
}

function hostNetwork(reason: string): TestNetwork {
  return {
    sharedWithHost: reason,
    spawn: ([command, ...args], { cwd, env, user }) => spawn(command, args, { cwd, env, ...user }),
    shell: (script, env, timeoutMs) =>
      spawnSync('sh', ['-c', script], { env, timeout: timeoutMs }).status,
    get: (url) =>
      fetch(url).then(
        async (response) => ({ status: response.status, body: await response.text() }),
        () => NOTHING,
      ),
    close: () => undefined,
  };
}
