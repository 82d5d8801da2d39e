import type { ResourceNames } from '@prod-e/deployment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

import { serviceRoleNames } from '../deploy-permissions/action-table';
import { deployPolicyStatements } from '../deploy-permissions/deploy-policy';
import type { AwsEnvironment } from './aws-environment';
import { type PolicyStatement, policyDocument } from './iam-document';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** The workflow whose deploy job assumes the role, from the repository root. */
export const GITHUB_DEPLOY_WORKFLOW = '.github/workflows/deploy.yml';

export interface DeployRoleProps {
  readonly aws: AwsEnvironment;
  readonly roleName: string;
  /**
   * `owner/repo` whose deploy job may assume the role, spelled as the repository's OIDC subject
   * spells it: `owner@<id>/repo@<id>` for a repository with immutable subject claims.
   */
  readonly githubRepository: string;
  /** Only the deploy workflow of this branch. @default 'main' */
  readonly githubBranch?: string;
  /**
   * The GitHub environment the deploy job runs in (its OIDC subject is
   * `repo:<repo>:environment:<name>`). Protect it with required reviewers and a deployment branch
   * rule for `githubBranch` in the repository settings.
   */
  readonly githubEnvironment: string;
  /** @default GITHUB_DEPLOY_WORKFLOW */
  readonly githubWorkflow?: string;
  /** The account's GitHub OIDC provider (one per account, made by the bootstrap or given). */
  readonly oidcProviderArn: string;
  readonly names: ResourceNames;
  /** The environment's image repository (made by the bootstrap stack too). */
  readonly repositoryArn: string;
  readonly stateBucket: string;
  /** Object key prefix of this stack's state in the bucket. */
  readonly stateKeyPrefix: string;
  /** The managed policy every role the deploy role creates must carry as its boundary. */
  readonly permissionsBoundaryArn: string;
}

/** IAM's limit for one managed policy document, in characters (whitespace excluded). */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/**
 * The budget a chunk gets before its tokens resolve: a partition or account token is longer than
 * its value, an ARN reference shorter, so this leaves room for a few ARNs.
 */
const CHUNK_BUDGET_CHARS = 5000;

/** Splits statements into as few documents under IAM's size limit as fit, in order. */
export function chunkStatements(
  statements: readonly PolicyStatement[],
  maxChars = CHUNK_BUDGET_CHARS,
): PolicyStatement[][] {
  const chunks: PolicyStatement[][] = [[]];
  for (const statement of statements) {
    const current = chunks[chunks.length - 1];
    if (current.length && policyDocument([...current, statement]).length > maxChars) {
      chunks.push([statement]);
    } else current.push(statement);
  }
  return chunks;
}

/**
 * The role GitHub Actions assumes through OIDC: no long-lived keys. Trust needs all of one
 * repository's environment (the subject), its branch and its deploy workflow, with the
 * `sts.amazonaws.com` audience (CKV_AWS_393, PRODE-OIDC-TRUST; docs/adr, the deploy role's trust). It may run the whole `terraform apply` of its
 * environment's service stack (the action table in src/deploy-permissions) and the release path
 * (push the image, run the migration task, read what `prod-e verify` checks), and nothing more:
 * IAM roles only with the environment's permissions boundary, `iam:PassRole` only for the stack's
 * own roles, to the one service each is for.
 */
export class DeployRole extends Construct {
  public readonly role: IamRole;
  public readonly policies: IamPolicy[];

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const branch = props.githubBranch ?? 'main';
    if (/[*?]/.test(props.githubRepository) || /[*?]/.test(branch)) {
      throw new Error(
        'DeployRole: githubRepository and githubBranch must not contain wildcards; a wildcard lets any matching repository or branch deploy (CKV_AWS_393).',
      );
    }
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `GitHub Actions deploys ${props.names.environment} from ${githubRepositoryName(props.githubRepository).name}@${branch}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: githubTrustPolicy(props, branch),
    });
    const statements = [
      ...releaseStatements(props),
      ...deployPolicyStatements({ ...props.aws, names: props.names }, props.permissionsBoundaryArn),
    ];
    this.policies = chunkStatements(statements).map((chunk, i) => {
      const policy = new IamPolicy(this, `policy-${i}`, {
        name: `${props.roleName}-${i + 1}`,
        description: `${props.roleName}: apply the ${props.names.stack} stack and release (part ${i + 1})`,
        policy: policyDocument(chunk),
      });
      new IamRolePolicyAttachment(this, `policy-${i}-attachment`, {
        role: this.role.name,
        policyArn: policy.arn,
      });
      return policy;
    });
  }
}

/** `owner@1/repo@2` (an immutable subject's spelling) → names `owner/repo` and the repository id. */
export function githubRepositoryName(repository: string): { name: string; id?: string } {
  const [owner, repo] = repository.split('/');
  const strip = (part: string) => part.replace(/@\d+$/, '');
  return { name: `${strip(owner)}/${strip(repo)}`, id: /@(\d+)$/.exec(repo)?.[1] };
}

/**
 * The subject alone says repository and environment, never the branch; the `ref` and
 * `job_workflow_ref` claims (condition keys STS evaluates for GitHub's provider) say which branch
 * and which workflow file, so a dispatch from another branch or another workflow in the
 * environment gets nothing.
 */
function githubTrustPolicy(props: DeployRoleProps, branch: string): string {
  const ref = `refs/heads/${branch}`;
  const repository = githubRepositoryName(props.githubRepository);
  const workflow = props.githubWorkflow ?? GITHUB_DEPLOY_WORKFLOW;
  return policyDocument([
    {
      Sid: 'AssumeFromGithubDeployJob',
      Effect: 'Allow',
      Principal: { Federated: props.oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.githubRepository}:environment:${props.githubEnvironment}`,
          [`${GITHUB_OIDC_HOST}:ref`]: ref,
          [`${GITHUB_OIDC_HOST}:job_workflow_ref`]: `${repository.name}/${workflow}@${ref}`,
          ...(repository.id && { [`${GITHUB_OIDC_HOST}:repository_id`]: repository.id }),
        },
      },
    },
  ]);
}

/** Which service each of the stack's roles is passed to. */
function passedRoles(names: ResourceNames): { role: string; service: string }[] {
  const [execution, migrationExecution, task, flowLogs, monitoring, blueGreen] =
    serviceRoleNames(names);
  return [
    { role: execution, service: 'ecs-tasks.amazonaws.com' },
    { role: migrationExecution, service: 'ecs-tasks.amazonaws.com' },
    { role: task, service: 'ecs-tasks.amazonaws.com' },
    { role: flowLogs, service: 'vpc-flow-logs.amazonaws.com' },
    { role: monitoring, service: 'monitoring.rds.amazonaws.com' },
    { role: blueGreen, service: 'ecs.amazonaws.com' },
  ];
}

/** Image push, role passing, service-linked roles and the Terraform state. */
function releaseStatements(props: DeployRoleProps): PolicyStatement[] {
  const { accountId, partition } = props.aws;
  const bucketArn = `arn:${partition}:s3:::${props.stateBucket}`;
  const role = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;
  return [
    {
      Sid: 'EcrAuthorizationToken',
      Effect: 'Allow',
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
    },
    {
      Sid: 'EcrPushServiceImage',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:DescribeImages',
        'ecr:DescribeRepositories',
        'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      Resource: props.repositoryArn,
    },
    ...passedRoles(props.names).map(({ role: name, service }, i) => ({
      Sid: `PassStackRole${i + 1}`,
      Effect: 'Allow' as const,
      Action: 'iam:PassRole',
      Resource: role(name),
      Condition: { StringEquals: { 'iam:PassedToService': service } },
    })),
    {
      // On the first apply the migration runs before the service exists: `prod-e migrate` finds
      // the private subnets and the service security group by their tags.
      Sid: 'FindMigrationPlacementByTag',
      Effect: 'Allow',
      Action: 'tag:GetResources',
      Resource: '*',
    },
    {
      // What `prod-e verify` and `prod-e migrate` read after the apply: the service's log stream.
      Sid: 'ReadServiceLogs',
      Effect: 'Allow',
      Action: ['logs:FilterLogEvents', 'logs:GetLogEvents'],
      Resource: `arn:${partition}:logs:${props.aws.region}:${accountId}:log-group:${props.names.logGroup}:*`,
    },
    {
      // A fresh account has none of these yet; the first ECS, ELB, RDS or scaling call makes them.
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/*`,
      Condition: {
        StringEquals: {
          'iam:AWSServiceName': [
            'ecs.amazonaws.com',
            'elasticloadbalancing.amazonaws.com',
            'rds.amazonaws.com',
            'ecs.application-autoscaling.amazonaws.com',
          ],
        },
      },
    },
    {
      // The S3 backend lists the key prefix and, for workspaces, `env:/` (terraform init).
      Sid: 'ListStateBucket',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': [`${props.stateKeyPrefix}/*`, 'env:/*'] } },
    },
    {
      // The state object and its S3-native lock file (`<key>.tflock`).
      Sid: 'ReadWriteStackStateAndLock',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${bucketArn}/${props.stateKeyPrefix}/*`,
    },
  ];
}
