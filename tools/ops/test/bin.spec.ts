import { healthySample, livenessSample } from '@prod-e/health-contract/testing';

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type HealthServer, startHealthServer } from './health-server';
import { createTestCa, type TestCa } from './test-ca';

const BIN = join(__dirname, '..', 'bin', 'prod-e.cjs');

/** Runs the bin with stdout closed by its reader right away, as `prod-e … | head -0` does. */
function runWithClosedStdout(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Runs the real bin (tsx, commander, the SDK's provider chain) in a child process. */
function runBin(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('the prod-e bin', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'prod-e-bin-'));
    const empty = join(home, 'empty');
    writeFileSync(empty, '');
    // No credentials anywhere: AWS variables cleared, empty config files, no instance metadata.
    env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
    );
    Object.assign(env, {
      HOME: home,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-west-2',
    });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prints help and exits 0', async () => {
    const result = await runBin(['--help'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: prod-e [options] [command]');
    expect(result.stdout).toMatch(/^ {2}migrate \[options\]/m);
  });

  it('fails with exit code 2 and one sentence when there are no credentials', async () => {
    const result = await runBin(['status', '--env', 'prod'], env);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^Error: No usable AWS credentials were found \(while calling ecs:\w+\)\.$/,
      ),
      'Hint: Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
    ]);
  });

  it('prints its version', async () => {
    const result = await runBin(['--version'], env);

    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names a profile that does not exist instead of "no credentials"', async () => {
    const result = await runBin(['status', '--profile', 'nosuch'], {
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });

    expect(result.code).toBe(2);
    // No multi-line SDK warning about env keys next to a profile: one sentence and a hint.
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^Error: AWS profile "nosuch" was not found in ~\/\.aws\/config or ~\/\.aws\/credentials \(while calling ecs:\w+\)\.$/,
      ),
      'Hint: List the profiles with `aws configure list-profiles`, or drop --profile.',
    ]);
  });

  describe('against a local https server', () => {
    let ca: TestCa;
    let server: HealthServer;

    beforeAll(async () => {
      ca = createTestCa();
      server = await startHealthServer(
        {
          '/health': { status: 200, body: healthySample },
          '/health/live': { status: 200, body: livenessSample },
        },
        { ...ca.issue(['localhost']), host: 'localhost' },
      );
    });
    afterAll(async () => {
      await server.close();
      ca.remove();
    });

    it('trusts a CA given with NODE_EXTRA_CA_CERTS', async () => {
      const result = await runBin(['smoke', server.url], {
        ...env,
        NODE_EXTRA_CA_CERTS: ca.caFile,
      });

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });

    it('ends quietly with exit 0 when stdout is closed by its reader (EPIPE)', async () => {
      const result = await runWithClosedStdout(['smoke', server.url, '--ca', ca.caFile], env);

      expect(result).toEqual({ code: 0, stderr: '' });
    });
  });
});
