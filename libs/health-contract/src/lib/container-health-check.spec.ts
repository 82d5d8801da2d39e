import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  CONTAINER_HEALTH_CHECK_TIMING,
  containerHealthCheck,
  probeCommand,
} from './container-health-check';
import { API_PORT, HEALTH_PATH, LIVENESS_PATH } from './endpoints';

/** Runs a CMD-SHELL line the way ECS does (`/bin/sh -c`), killed at ECS's own timeout. */
function runLikeEcs(commandLine: string): Promise<{ code: number | null; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', commandLine], { stdio: 'ignore' });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, CONTAINER_HEALTH_CHECK_TIMING.timeout * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, killed });
    });
  });
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('containerHealthCheck', () => {
  it('times the check: interval 30, timeout 5, retries 3, startPeriod 60', () => {
    const check = containerHealthCheck();

    expect(check).toMatchObject({ interval: 30, timeout: 5, retries: 3, startPeriod: 60 });
    expect(check.command[0]).toBe('CMD-SHELL');
  });

  it('probes /health/live on port 3000 with node, never curl, by default', () => {
    const [, line] = containerHealthCheck().command;

    expect(line.startsWith('node -e "')).toBe(true);
    expect(line).toContain(`port:${API_PORT},path:'${LIVENESS_PATH}'`);
    expect(line).not.toMatch(/curl|wget/);
  });

  it('probes /health in the database wiring', () => {
    expect(containerHealthCheck({ wiring: 'database' }).command[1]).toContain(
      `path:'${HEALTH_PATH}'`,
    );
  });
});

describe('the probe command, run with sh -c', () => {
  const requested: string[] = [];
  let server: Server;
  let statusToSend = 200;

  beforeAll(async () => {
    server = await listen((req, res) => {
      requested.push(req.url ?? '');
      if (statusToSend === 0) return; // hang: never answer
      res.writeHead(statusToSend).end();
    });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 0 when the API answers 200', async () => {
    statusToSend = 200;

    const result = await runLikeEcs(probeCommand({ port: portOf(server) }));

    expect(result).toEqual({ code: 0, killed: false });
    expect(requested.at(-1)).toBe(LIVENESS_PATH);
  });

  it('exits 1 when the API answers 503', async () => {
    statusToSend = 503;

    expect(await runLikeEcs(probeCommand({ port: portOf(server) }))).toEqual({
      code: 1,
      killed: false,
    });
  });

  it('exits 1 by itself, before the ECS timeout, when the API hangs', async () => {
    statusToSend = 0;

    expect(await runLikeEcs(probeCommand({ port: portOf(server) }))).toEqual({
      code: 1,
      killed: false,
    });
  });

  it('exits 1 when nothing listens on the port', async () => {
    const closed = await listen(() => undefined);
    const port = portOf(closed);
    await new Promise((resolve) => closed.close(resolve));

    expect(await runLikeEcs(probeCommand({ port }))).toEqual({ code: 1, killed: false });
  });
});
