import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';

import { WORKSPACE_ROOT } from '../src/lib/paths';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TSX_CLI = require.resolve('tsx/cli');

/**
 * Runs a delivery script for real, as `nx run` would, in an environment with no AWS credentials:
 * no AWS_* variables, an empty HOME (no ~/.aws), instance metadata off (this is not EC2).
 */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  const result = spawnSync(
    process.execPath,
    [TSX_CLI, join(WORKSPACE_ROOT, 'tools/delivery/src/cli', script), ...args],
    {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      env: {
        ...base,
        HOME: home,
        AWS_EC2_METADATA_DISABLED: 'true',
        PROD_E_IMAGE_TAG: SHA,
        ...env,
      },
    },
  );
  // The AWS SDK warns about Node 20 on stderr; the script's own message is the last line.
  const lines = result.stderr.trim().split('\n');
  return { status: result.status, message: lines[lines.length - 1], stderr: result.stderr };
}

let home: string;
let fakeBin: string;
let engineDownBin: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'prod-e-cli-home-'));
  // A terraform that works, so "only the credentials are missing" does not depend on the machine.
  fakeBin = await mkdtemp(join(tmpdir(), 'prod-e-cli-bin-'));
  await writeFile(join(fakeBin, 'terraform'), '#!/bin/sh\necho "Terraform v1.11.4"\n');
  await chmod(join(fakeBin, 'terraform'), 0o755);
  // And a docker whose engine answers, for the same reason.
  await writeFile(join(fakeBin, 'docker'), '#!/bin/sh\nexit 0\n');
  await chmod(join(fakeBin, 'docker'), 0o755);
  // A docker CLI whose engine is down.
  engineDownBin = await mkdtemp(join(tmpdir(), 'prod-e-cli-engine-down-'));
  await writeFile(
    join(engineDownBin, 'docker'),
    '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n',
  );
  await chmod(join(engineDownBin, 'docker'), 0o755);
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(fakeBin, { recursive: true, force: true });
  await rm(engineDownBin, { recursive: true, force: true });
});

describe('nx run api:push and infra:deploy when a step fails', () => {
  it.each(['api:push', 'infra:deploy'])(
    "%s exits with the failing step's code (1), not 130",
    (target) => {
      const base = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
      );

      const run = spawnSync(
        'npx',
        ['nx', 'run', target, '--environment', 'prod', '--outputStyle=static'],
        {
          cwd: WORKSPACE_ROOT,
          encoding: 'utf8',
          env: {
            ...base,
            PATH: `${engineDownBin}:${process.env.PATH}`,
            HOME: home,
            AWS_EC2_METADATA_DISABLED: 'true',
            PROD_E_IMAGE_TAG: SHA,
            NX_DAEMON: 'false',
          },
        },
      );

      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain('missing a running Docker engine');
    },
  );
});

describe('delivery scripts on a machine without Docker engine, terraform or AWS credentials', () => {
  it('api:container names the missing Docker engine in one sentence and exits 1', () => {
    const run = runScript('container.ts', ['--environment', 'prod']);

    expect(run.status).toBe(1);
    expect(run.message).toBe(
      'Error: Cannot build the API image: missing a running Docker engine (`docker info` failed: start Docker, or point DOCKER_HOST at an engine).',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });

  it('api:container names a docker CLI that is not installed at all', () => {
    const run = runScript('container.ts', [], { PATH: '/usr/bin:/bin' });

    expect(run.status).toBe(1);
    expect(run.message).toMatch(
      /^Error: Cannot build the API image: missing the docker CLI \(not on PATH/,
    );
  });

  it('api:push names both the Docker engine and the AWS credentials', () => {
    const run = runScript('push.ts', ['--environment', 'prod']);

    expect(run.status).toBe(1);
    expect(run.message).toMatch(
      /^Error: Cannot push the API image: missing a running Docker engine \(.+\) and AWS credentials \(none found by the SDK provider chain.+\)\.$/,
    );
  });

  it('infra:deploy names terraform, docker and the AWS credentials when none is there', () => {
    const run = runScript('deploy.ts', ['--environment', 'prod'], { PATH: '/usr/bin:/bin' });

    expect(run.status).toBe(1);
    expect(run.message).toContain(
      `Error: Cannot deploy prod: missing the terraform CLI (not on PATH: install Terraform ${MINIMUM_TERRAFORM_VERSION} or newer), the docker CLI (not on PATH`,
    );
  });

  it('infra:deploy names only the AWS credentials when terraform and Docker are there', () => {
    const run = runScript('deploy.ts', ['--environment', 'staging'], {
      PATH: `${fakeBin}:/usr/bin:/bin`,
    });

    expect(run.status).toBe(1);
    expect(run.message).toMatch(/^Error: Cannot deploy staging: missing AWS credentials \(.+\)\.$/);
  });

  it('refuses latest for prod before touching anything', () => {
    const run = runScript('push.ts', ['--environment', 'prod'], { PROD_E_IMAGE_TAG: 'latest' });

    expect(run.status).toBe(1);
    expect(run.message).toMatch(/imageTag/);
    // The settings loader's ConfigError, printed by the toolkit's handler like any other error.
    expect(run.stderr).toMatch(/^Error: Invalid deployment settings \(1 problem\):$/m);
  });

  it('reports a bad environment name as the bad key it is', () => {
    const run = runScript('container.ts', ['--environment', 'Prod!']);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/environment/);
  });
});
