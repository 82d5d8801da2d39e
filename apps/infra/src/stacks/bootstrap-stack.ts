import {
  accountResourceNames,
  type DeploymentSettings,
  resourceNames,
  resourceTags,
} from '@prod-e/deployment';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

import type { AwsEnvironment } from '../constructs/aws-environment';
import { DeployRole, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../constructs/deploy-role';
import { Encryption } from '../constructs/encryption';
import { PermissionsBoundary } from '../constructs/permissions-boundary';
import { Registry } from '../constructs/registry';
import {
  configureBackend,
  requireTerraformVersion,
  StateStorage,
  stateKeyPrefix,
} from '../constructs/state-backend';

/** Stack id of the bootstrap of an environment's account and region. */
export function bootstrapStackId(
  settings: Pick<DeploymentSettings, 'accountId' | 'region'>,
): string {
  return accountResourceNames(requiredAccountId(settings), settings.region).bootstrapStack;
}

function requiredAccountId(settings: Pick<DeploymentSettings, 'accountId'>): string {
  if (!settings.accountId) {
    throw new Error(
      'BootstrapStack: the environment has no accountId; commit it in its settings file (the account bootstrap is made per account).',
    );
  }
  return settings.accountId;
}

/**
 * What one account and region need before any service stack deploys, applied once by an
 * administrator: the state bucket (S3-native locking), a key for the image repositories, and per
 * environment there its ECR repository, the permissions boundary of its roles and, with a GitHub
 * repository, its CI deploy role, all trusting one GitHub OIDC provider (IAM allows one per
 * account). Its own small state stays in a local file.
 */
export class BootstrapStack extends TerraformStack {
  public readonly storage?: StateStorage;
  public readonly oidcProviderArn?: string;
  public readonly registries: Record<string, Registry> = {};
  public readonly deployRoles: Record<string, DeployRole> = {};

  /** @param environments every environment in the account and region, the selected one included */
  constructor(scope: Construct, environments: readonly DeploymentSettings[]) {
    const [first] = environments;
    super(scope, bootstrapStackId(first));
    const accountId = requiredAccountId(first);
    const account = accountResourceNames(accountId, first.region);
    new AwsProvider(this, 'aws', {
      region: first.region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { ...resourceTags(first.environment), Environment: 'account' } }],
    });
    configureBackend(this, {
      kind: 'local',
      names: resourceNames(first.environment),
      region: first.region,
    });
    requireTerraformVersion(this);
    const aws: AwsEnvironment = {
      accountId: new DataAwsCallerIdentity(this, 'caller').accountId,
      partition: new DataAwsPartition(this, 'partition').partition,
      region: first.region,
    };
    if (environments.some((e) => e.stateBackend === 's3')) {
      this.storage = new StateStorage(this, 'state', { bucketName: account.stateBucket });
      new TerraformOutput(this, 'state_bucket', { value: this.storage.bucket.bucket });
    }
    const key = new Encryption(this, 'encryption', { aws, alias: account.bootstrapKeyAlias });
    this.oidcProviderArn = githubOidcProvider(this, environments);
    for (const settings of environments)
      this.addEnvironment(settings, aws, key.key.arn, account.stateBucket);
  }

  private addEnvironment(
    settings: DeploymentSettings,
    aws: AwsEnvironment,
    kmsKeyArn: string,
    stateBucket: string,
  ): void {
    const names = resourceNames(settings.environment);
    const id = settings.environment;
    const registry = new Registry(this, `${id}-registry`, {
      repositoryName: names.ecrRepository,
      kmsKeyArn,
    });
    this.registries[id] = registry;
    const boundary = new PermissionsBoundary(this, `${id}-boundary`, {
      aws,
      names,
      repositoryArn: registry.repository.arn,
    });
    new TerraformOutput(this, `${id}_ecr_repository_url`, {
      value: registry.repository.repositoryUrl,
    });
    if (!settings.githubRepository || !this.oidcProviderArn) return;
    const role = new DeployRole(this, `${id}-deploy-role`, {
      aws,
      names,
      roleName: names.deployRole,
      githubRepository: settings.githubRepository,
      githubBranch: settings.githubBranch,
      githubEnvironment: settings.environment,
      oidcProviderArn: this.oidcProviderArn,
      repositoryArn: registry.repository.arn,
      stateBucket,
      stateKeyPrefix: stateKeyPrefix(names),
      permissionsBoundaryArn: boundary.policy.arn,
    });
    this.deployRoles[id] = role;
    new TerraformOutput(this, `${id}_deploy_role_arn`, {
      value: role.role.arn,
      description: `Role GitHub Actions assumes to deploy ${id} (the AWS_DEPLOY_ROLE_ARN variable)`,
    });
  }
}

/** The account's one GitHub OIDC provider: the given ARN, or made here when some environment needs it. */
function githubOidcProvider(
  stack: TerraformStack,
  environments: readonly DeploymentSettings[],
): string | undefined {
  if (!environments.some((e) => e.githubRepository)) return undefined;
  const given = environments.find((e) => e.oidcProviderArn)?.oidcProviderArn;
  if (given) return given;
  return new IamOpenidConnectProvider(stack, 'github-oidc', {
    url: `https://${GITHUB_OIDC_HOST}`,
    clientIdList: [GITHUB_OIDC_AUDIENCE],
  }).arn;
}
