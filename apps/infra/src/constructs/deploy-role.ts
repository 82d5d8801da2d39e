import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import { policyDocument } from './iam-document';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** ECS calls that take no resource ARN (IAM lists them with `*` only). */
export const DEPLOY_UNSCOPED_ACTIONS = [
  'ecs:RegisterTaskDefinition',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:ListTasks',
  'elasticloadbalancing:DescribeTargetHealth',
] as const;

export interface DeployRoleProps {
  readonly aws: AwsEnvironment;
  readonly roleName: string;
  /** `owner/repo` whose workflows may assume the role. */
  readonly githubRepository: string;
  /** Only workflows running on this branch. @default 'main' */
  readonly githubBranch?: string;
  /**
   * The GitHub environment the deploy job runs in: such jobs present the OIDC subject
   * `repo:<repo>:environment:<name>` instead of the branch, so the role trusts that subject too.
   * Restrict the environment's deployment branches to `githubBranch` in the repository settings.
   */
  readonly githubEnvironment: string;
  /**
   * An existing GitHub OIDC provider: there is one per account, so the second environment in an
   * account passes the first one's ARN. @default a new provider
   */
  readonly oidcProviderArn?: string;
  readonly repositoryArn: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly logGroupArn: string;
  readonly stateBucket: string;
  /** Object key prefix of this stack's state in the bucket. */
  readonly stateKeyPrefix: string;
  readonly stateLockTable: string;
}

/**
 * The role GitHub Actions assumes through OIDC (issue 5): no long-lived keys. Trust is pinned to
 * one repository and branch (or the GitHub environment its deploy job runs in) with the `sts.amazonaws.com` audience (CKV_AWS_393). Permissions cover
 * the release path only: push the image, register the task definition, run the migration task,
 * update the service, read and write this stack's Terraform state, and read what `prod-e verify`
 * checks. Network, database and IAM changes stay with an administrator.
 */
export class DeployRole extends Construct {
  public readonly oidcProvider?: IamOpenidConnectProvider;
  public readonly role: IamRole;
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const branch = props.githubBranch ?? 'main';
    if (/[*?]/.test(props.githubRepository) || /[*?]/.test(branch)) {
      throw new Error(
        'DeployRole: githubRepository and githubBranch must not contain wildcards; a wildcard lets any matching repository or branch deploy (CKV_AWS_393).',
      );
    }
    const { accountId, partition, region } = props.aws;
    let providerArn = props.oidcProviderArn;
    if (!providerArn) {
      this.oidcProvider = new IamOpenidConnectProvider(this, 'github-oidc', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
      });
      providerArn = this.oidcProvider.arn;
    }

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `GitHub Actions deploys from ${props.githubRepository}@${branch}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        {
          Sid: 'AssumeFromGithubWorkflow',
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${GITHUB_OIDC_HOST}:sub`]: [
                `repo:${props.githubRepository}:ref:refs/heads/${branch}`,
                `repo:${props.githubRepository}:environment:${props.githubEnvironment}`,
              ],
            },
          },
        },
      ]),
    });

    const ecs = (resource: string) => `arn:${partition}:ecs:${region}:${accountId}:${resource}`;
    const bucketArn = `arn:${partition}:s3:::${props.stateBucket}`;
    this.policy = new IamRolePolicy(this, 'policy', {
      name: 'release',
      role: this.role.id,
      policy: policyDocument([
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
            'ecr:GetDownloadUrlForLayer',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          Resource: props.repositoryArn,
        },
        {
          Sid: 'RegisterTaskDefinitions',
          Effect: 'Allow',
          Action: [...DEPLOY_UNSCOPED_ACTIONS],
          Resource: '*',
        },
        {
          Sid: 'TagNewTaskDefinitions',
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: ecs(`task-definition/${props.taskFamily}:*`),
          Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
        },
        {
          Sid: 'RunMigrationTask',
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: ecs(`task-definition/${props.taskFamily}:*`),
          Condition: { ArnEquals: { 'ecs:cluster': ecs(`cluster/${props.clusterName}`) } },
        },
        {
          Sid: 'WatchTasks',
          Effect: 'Allow',
          Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
          Resource: ecs(`task/${props.clusterName}/*`),
        },
        {
          Sid: 'UpdateService',
          Effect: 'Allow',
          Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
          Resource: ecs(`service/${props.clusterName}/${props.serviceName}`),
        },
        {
          Sid: 'PassTaskRolesToEcsOnly',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: [props.executionRoleArn, props.taskRoleArn],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Sid: 'ReadServiceLogs',
          Effect: 'Allow',
          Action: ['logs:FilterLogEvents', 'logs:GetLogEvents'],
          Resource: `${props.logGroupArn}:*`,
        },
        {
          Sid: 'ListStateBucket',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLike: { 's3:prefix': `${props.stateKeyPrefix}/*` } },
        },
        {
          Sid: 'ReadWriteStackState',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${bucketArn}/${props.stateKeyPrefix}/*`,
        },
        {
          Sid: 'StateLock',
          Effect: 'Allow',
          Action: [
            'dynamodb:DescribeTable',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:DeleteItem',
          ],
          Resource: `arn:${partition}:dynamodb:${region}:${accountId}:table/${props.stateLockTable}`,
        },
      ]),
    });
  }
}
