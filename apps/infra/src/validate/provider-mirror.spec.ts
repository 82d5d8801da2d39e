import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { validationSetup } from '../cli/validate';
import { findProviderMirror, mirrorPathOf, writeMirrorCliConfig } from './provider-mirror';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A mirror folder holding the given AWS provider versions (empty platform folders). */
function fakeMirror(...versions: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prod-e-mirror-'));
  dirs.push(dir);
  for (const version of versions) {
    mkdirSync(path.join(dir, 'registry.terraform.io/hashicorp/aws', version, 'linux_amd64'), {
      recursive: true,
    });
  }
  return dir;
}

describe('GIVEN an offline provider mirror', () => {
  it('THEN PROD_E_TF_PROVIDER_MIRROR names it and the newest AWS version is used', () => {
    const dir = fakeMirror('5.9.0', '5.100.0', '5.31.0');
    expect(findProviderMirror({ PROD_E_TF_PROVIDER_MIRROR: dir })).toEqual({
      dir,
      awsVersion: '5.100.0',
    });
  });

  it('THEN the filesystem_mirror of TF_CLI_CONFIG_FILE is found, and the written config round-trips', () => {
    const dir = fakeMirror('5.100.0');
    const file = writeMirrorCliConfig({ dir, awsVersion: '5.100.0' }, path.join(dir, 'cli.tfrc'));
    expect(mirrorPathOf(readFileSync(file, 'utf8'))).toBe(dir);
    expect(findProviderMirror({ TF_CLI_CONFIG_FILE: file })?.dir).toBe(dir);
  });

  it('WHEN nothing points at a mirror THEN there is none, and the offline plan says why it skips', () => {
    const missing = path.join(os.tmpdir(), 'prod-e-no-such-file.tfrc');
    expect(findProviderMirror({ TF_CLI_CONFIG_FILE: missing })).toBeUndefined();
    expect(validationSetup({ PATH: '/nonexistent' })).toEqual({
      skip: 'terraform is not on PATH: skipping the offline plan.',
    });
    const bin = fakeMirror();
    writeFileSync(
      path.join(bin, 'terraform'),
      `#!/bin/sh\necho '{"terraform_version":"1.11.4"}'\n`,
      { mode: 0o755 },
    );
    const setup = validationSetup({ PATH: bin });
    expect('skip' in setup && setup.skip).toMatch(
      /^no offline AWS provider mirror: set PROD_E_TF_PROVIDER_MIRROR to the folder holding registry.terraform.io/,
    );
  });
});
