import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'prod-e.cjs');

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
});
