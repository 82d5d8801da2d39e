import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError } from '@prod-e/api-config';
import { COMMITTED_ENVIRONMENTS, loadDeploymentSettings } from '@prod-e/deployment';
import { parse } from 'yaml';

import { buildApp } from './app';
import { settingsFromEnv } from './settings';

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const WORKFLOW = path.resolve(__dirname, '../../../.github/workflows/deploy.yml');

/** The deploy job's `env:` (the workflow's and its own) as the runner sees it. */
function workflowEnv(): Record<string, string> {
  const workflow = parse(readFileSync(WORKFLOW, 'utf8'));
  const env: Record<string, string> = {};
  const declared = { ...workflow.env, ...workflow.jobs.deploy.env };
  for (const [name, value] of Object.entries<string>(declared)) {
    const resolved = String(value).replace('${{ github.sha }}', SHA);
    // Any other expression (vars.*, secrets.*) would be a setting the repository does not hold.
    if (resolved.includes('${{')) throw new Error(`deploy.yml sets ${name} from ${value}`);
    env[name] = resolved;
  }
  return env;
}

function stacksOf(settings: ReturnType<typeof loadDeploymentSettings>) {
  const { service, bootstrap } = buildApp(settings, { outdir: '/tmp/prod-e-infra-unwritten' });
  return { service: service.toTerraform(), bootstrap: bootstrap.toTerraform() };
}

describe('GIVEN synth settings from the environment', () => {
  it('WHEN prod has no PROD_E_IMAGE_TAG THEN the image tag is the git SHA', () => {
    expect(settingsFromEnv({}, () => SHA).imageTag).toBe(SHA);
  });

  it('WHEN PROD_E_IMAGE_TAG is set THEN it wins', () => {
    expect(settingsFromEnv({ PROD_E_IMAGE_TAG: 'v1.2.3' }, () => SHA).imageTag).toBe('v1.2.3');
  });

  it('WHEN another environment has no tag THEN the git SHA is not forced on it', () => {
    expect(settingsFromEnv({ PROD_E_ENVIRONMENT: 'staging' }, () => SHA).imageTag).toBe('latest');
  });

  it('errors when a variable tries to change a committed setting, naming every one', () => {
    const attempt = () =>
      settingsFromEnv(
        { PROD_E_CERTIFICATE_ARN: 'arn:x', PROD_E_ACCOUNT_ID: '999999999999' },
        () => SHA,
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /PROD_E_ACCOUNT_ID: is not read: settings are committed in libs\/deployment\/src\/environments\/prod\.ts[\s\S]*PROD_E_CERTIFICATE_ARN/,
    );
  });

  it('errors when the environment is not committed', () => {
    expect(() => settingsFromEnv({ PROD_E_ENVIRONMENT: 'qa' }, () => SHA)).toThrow(
      /"qa" is not committed: add libs\/deployment\/src\/environments\/qa\.ts/,
    );
  });

  it('errors when prod has neither a tag nor a git checkout', () => {
    expect(() => settingsFromEnv({}, () => undefined)).toThrow(/imageTag/);
  });
});

describe('GIVEN the deploy workflow', () => {
  it('THEN a synth with exactly its variables equals the committed prod settings’ synth', () => {
    const env = workflowEnv();
    const fromWorkflow = stacksOf(settingsFromEnv(env, () => undefined));
    const committed = stacksOf(
      loadDeploymentSettings({ ...COMMITTED_ENVIRONMENTS.prod, imageTag: SHA }),
    );
    expect(fromWorkflow).toEqual(committed);
    // The parts a drift used to break, named so a failure says which.
    const prod = COMMITTED_ENVIRONMENTS.prod;
    const backend = (fromWorkflow.service.terraform as { backend: { s3: Record<string, unknown> } })
      .backend.s3;
    expect(backend.bucket).toBe(`prod-e-terraform-state-${prod.accountId}-${prod.region}`);
    expect(JSON.stringify(fromWorkflow.bootstrap)).toContain(`repo:${prod.githubRepository}:`);
  });

  it('THEN its AWS_REGION is the committed prod region', () => {
    expect(workflowEnv().AWS_REGION).toBe(COMMITTED_ENVIRONMENTS.prod.region);
  });
});
