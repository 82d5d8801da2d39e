import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  accountResourceNames,
  COMMITTED_ENVIRONMENTS,
  loadDeploymentSettings,
  MINIMUM_TERRAFORM_VERSION,
  resourceNames,
} from '@prod-e/deployment';
import { TEST_IMAGE_TAG } from '@prod-e/deployment/testing';
import { parse } from 'yaml';

import type { TerraformJson } from '../policy';
import { statementsOf } from '../policy/statements';
import { all, only, synthesize, testApp } from '../testing/synth';
import { GITHUB_DEPLOY_WORKFLOW, MANAGED_POLICY_MAX_CHARS } from '../constructs/deploy-role';
import { BootstrapStack } from './bootstrap-stack';

const { prod, staging } = COMMITTED_ENVIRONMENTS;
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
const account = accountResourceNames(prod.accountId!, prod.region!);

function bootstrapOf(...inputs: Parameters<typeof loadDeploymentSettings>[0][]): TerraformJson {
  const settings = inputs.map((input) =>
    loadDeploymentSettings({ imageTag: TEST_IMAGE_TAG, ...input }),
  );
  return new BootstrapStack(testApp(), settings).toTerraform() as TerraformJson;
}

describe('GIVEN the account bootstrap of the committed prod account', () => {
  const { bootstrap, json: service } = synthesize();
  const json = bootstrap.toTerraform() as TerraformJson;

  it('THEN it serves every committed environment of that account and region', () => {
    expect(bootstrap.node.id).toBe(account.bootstrapStack);
    expect(
      all(json, 'aws_ecr_repository')
        .map((r) => r.name)
        .sort(),
    ).toEqual(
      [
        resourceNames('prod').ecrRepository,
        resourceNames('staging').ecrRepository,
        resourceNames('dev').ecrRepository,
      ].sort(),
    );
  });

  it('THEN the state bucket is account- and region-suffixed, versioned, encrypted, and there is no lock table', () => {
    expect(only(json, 'aws_s3_bucket')).toMatchObject({
      bucket: `prod-e-terraform-state-${prod.accountId}-${prod.region}`,
      lifecycle: { prevent_destroy: true },
    });
    expect(only(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(
      only(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0]
        .apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe('aws:kms');
    expect(json.resource!.aws_dynamodb_table).toBeUndefined();
    expect(service.terraform).toMatchObject({
      backend: { s3: { bucket: account.stateBucket, use_lockfile: true } },
    });
  });

  it('THEN it keeps its own state locally and requires the minimum Terraform', () => {
    expect(json.terraform).toMatchObject({
      backend: { local: { path: `../../../terraform-state/${account.bootstrapStack}.tfstate` } },
      required_version: `>= ${MINIMUM_TERRAFORM_VERSION}`,
    });
  });

  it('THEN one GitHub OIDC provider serves both environments’ deploy roles', () => {
    const [providerId] = Object.keys(json.resource!.aws_iam_openid_connect_provider);
    expect(only(json, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
    const roles = all(json, 'aws_iam_role');
    expect(roles.map((r) => r.name).sort()).toEqual(['prod-e-deploy', 'prod-e-staging-deploy']);
    for (const role of roles) {
      const [trust] = statementsOf(role.assume_role_policy);
      expect(trust.principal).toEqual({
        Federated: `\${aws_iam_openid_connect_provider.${providerId}.arn}`,
      });
    }
  });

  it('THEN prod-e-deploy trusts only the deploy workflow of the committed repository, on main, in the prod environment, with the STS audience', () => {
    const role = all(json, 'aws_iam_role').find((r) => r.name === 'prod-e-deploy')!;
    const [trust] = statementsOf(role.assume_role_policy);
    expect(trust.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(trust.condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:${prod.githubRepository}:environment:prod`,
        'token.actions.githubusercontent.com:ref': 'refs/heads/main',
        'token.actions.githubusercontent.com:job_workflow_ref': `${prod.githubRepository}/${GITHUB_DEPLOY_WORKFLOW}@refs/heads/main`,
      },
    });
  });

  it('THEN a job on main outside the environment, or the environment from another branch, matches nothing', () => {
    const role = all(json, 'aws_iam_role').find((r) => r.name === 'prod-e-deploy')!;
    const conditions = statementsOf(role.assume_role_policy)[0].condition.StringEquals;
    // The branch's own subject (any workflow on main, no environment) is not trusted.
    expect(JSON.stringify(conditions)).not.toContain(':ref:refs/heads/');
    // Another branch in the environment presents the same subject; its ref claim differs.
    expect(conditions['token.actions.githubusercontent.com:ref']).toBe('refs/heads/main');
  });

  it('THEN every deploy-role policy fits IAM’s managed policy size once resolved', () => {
    // Worst cases: the longest partition, a 12-digit account, a 100-character ARN.
    const resolved = (document: string) =>
      document
        .replaceAll('${data.aws_partition.partition.partition}', 'aws-us-gov')
        .replaceAll('${data.aws_caller_identity.caller.account_id}', '123456789012')
        .replace(/\$\{[^}]+\}/g, 'x'.repeat(100));
    const policies = all(json, 'aws_iam_policy');
    expect(policies.length).toBeGreaterThan(2);
    // IAM attaches at most 10 managed policies to a role (default quota).
    const attachments = all(json, 'aws_iam_role_policy_attachment');
    const perRole = new Map<string, number>();
    for (const a of attachments) perRole.set(a.role, (perRole.get(a.role) ?? 0) + 1);
    expect(Math.max(...perRole.values())).toBeLessThanOrEqual(10);
    for (const policy of policies) {
      expect(resolved(String(policy.policy)).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    }
  });

  it('THEN every role of the service stack carries the environment’s permissions boundary', () => {
    const roles = all(service, 'aws_iam_role');
    expect(roles.length).toBeGreaterThan(0);
    expect(new Set(roles.map((r) => r.permissions_boundary))).toEqual(
      new Set([
        `arn:\${data.aws_partition.partition.partition}:iam::\${data.aws_caller_identity.caller.account_id}:policy/${resourceNames('prod').permissionsBoundary}`,
      ]),
    );
    expect(all(json, 'aws_iam_policy').map((p) => p.name)).toContain(
      resourceNames('prod').permissionsBoundary,
    );
  });
});

describe('GIVEN a repository whose OIDC subject carries immutable owner and repository ids', () => {
  it('THEN the subject and the repository id carry the ids, the workflow ref the names', () => {
    const json = bootstrapOf({ ...prod, githubRepository: 'acme@1234/prod-e@5678' });
    const role = all(json, 'aws_iam_role').find((r) => r.name === 'prod-e-deploy')!;
    expect(statementsOf(role.assume_role_policy)[0].condition.StringEquals).toMatchObject({
      'token.actions.githubusercontent.com:sub': 'repo:acme@1234/prod-e@5678:environment:prod',
      'token.actions.githubusercontent.com:job_workflow_ref': `acme/prod-e/${GITHUB_DEPLOY_WORKFLOW}@refs/heads/main`,
      'token.actions.githubusercontent.com:repository_id': '5678',
    });
    expect(role.description).toBe('GitHub Actions deploys prod from acme/prod-e@main');
  });
});

describe('GIVEN the deploy workflow the role trusts', () => {
  const workflow = parse(
    readFileSync(path.join(WORKSPACE_ROOT, GITHUB_DEPLOY_WORKFLOW), 'utf8'),
  ) as {
    on: { push?: { branches?: string[] } };
    jobs: Record<string, { environment?: { name: string }; permissions?: Record<string, string> }>;
  };

  it('THEN it exists, deploys on push to the trusted branch, and its OIDC job runs in the trusted environment', () => {
    expect(workflow.on.push?.branches).toEqual([prod.githubBranch]);
    const oidc = Object.values(workflow.jobs).filter(
      (j) => j.permissions?.['id-token'] === 'write',
    );
    expect(oidc.map((j) => j.environment?.name)).toEqual([prod.environment]);
  });
});

describe('GIVEN an account whose GitHub OIDC provider exists already', () => {
  const existing = `arn:aws:iam::${prod.accountId}:oidc-provider/token.actions.githubusercontent.com`;

  it('WHEN oidcProviderArn is set THEN no provider is created and the deploy roles trust the given one', () => {
    const json = bootstrapOf(
      { ...prod, oidcProviderArn: existing },
      { ...staging, oidcProviderArn: existing },
    );
    expect(json.resource!.aws_iam_openid_connect_provider).toBeUndefined();
    for (const role of all(json, 'aws_iam_role')) {
      expect(statementsOf(role.assume_role_policy)[0].principal).toEqual({ Federated: existing });
    }
  });

  it('WHEN no environment has a GitHub repository THEN there is neither provider nor deploy role', () => {
    const json = bootstrapOf({ ...prod, githubRepository: undefined });
    expect(json.resource!.aws_iam_openid_connect_provider).toBeUndefined();
    expect(json.resource!.aws_iam_role).toBeUndefined();
  });

  it('errors when the environment has no account id', () => {
    expect(() => bootstrapOf({ environment: 'dev', stateBackend: 'local' })).toThrow(
      /no accountId/,
    );
  });
});
