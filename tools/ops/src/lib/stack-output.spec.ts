import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resourceNames, SERVICE_URL_OUTPUT } from '@prod-e/deployment';

import { synthesizedStackDir, terraformStackOutput } from './stack-output';

/** A state file as terraform writes it, with one output. */
function stateWith(outputs: Record<string, string>): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.0',
    serial: 1,
    lineage: 'stack-output-spec',
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, value]) => [name, { value, type: 'string' }]),
    ),
    resources: [],
  });
}

describe('GIVEN a checkout where infra:deploy applied the stack', () => {
  const names = resourceNames('staging');
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ops-stack-output-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('THEN service_url is read with terraform from the stack directory', async () => {
    const dir = synthesizedStackDir(names, root);
    mkdirSync(join(dir, '.terraform'), { recursive: true });
    writeFileSync(
      join(dir, 'terraform.tfstate'),
      stateWith({ [SERVICE_URL_OUTPUT]: 'https://d111111abcdef8.cloudfront.net' }),
    );

    await expect(terraformStackOutput(names, SERVICE_URL_OUTPUT, root)).resolves.toBe(
      'https://d111111abcdef8.cloudfront.net',
    );
    await expect(terraformStackOutput(names, 'no_such_output', root)).resolves.toBeUndefined();
  });

  it('WHEN the stack was never initialized here THEN there is no output, and terraform is not run', async () => {
    await expect(terraformStackOutput(names, SERVICE_URL_OUTPUT, root)).resolves.toBeUndefined();
  });
});
