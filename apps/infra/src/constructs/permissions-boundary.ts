import { DB_SERVICE_USER } from '@prod-e/api-config';
import { type ResourceNames } from '@prod-e/deployment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import { policyDocument, type PolicyStatement } from './iam-document';

export interface PermissionsBoundaryProps {
  readonly aws: AwsEnvironment;
  readonly names: ResourceNames;
  readonly repositoryArn: string;
}

/** Scopes an ARN to this account and region. */
type InAccount = (service: string, resource: string) => string;

/** What the boundary allows, statement by statement. */
function boundaryStatements(props: PermissionsBoundaryProps): PolicyStatement[] {
  const { accountId, partition, region } = props.aws;
  const inAccount: InAccount = (service, resource) =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  return [...taskStatements(props, inAccount), ...trafficAndDatabaseStatements(props, inAccount)];
}

/** Running the task: its image, ECS Exec channels, logs, secrets and keys. */
function taskStatements(props: PermissionsBoundaryProps, inAccount: InAccount): PolicyStatement[] {
  return [
    {
      Sid: 'PullTheServiceImage',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ],
      Resource: props.repositoryArn,
    },
    {
      Sid: 'CallsWithoutResourceTypes',
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      Resource: '*',
    },
    {
      Sid: 'WriteLogsInThisAccount',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogStream',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        'logs:PutRetentionPolicy',
        'logs:CreateLogGroup',
      ],
      Resource: inAccount('logs', 'log-group:*'),
    },
    {
      Sid: 'ReadThisEnvironmentsSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [
        inAccount('secretsmanager', `secret:${props.names.apiTokenSecret}-*`),
        inAccount('secretsmanager', 'secret:rds!db-*'),
      ],
    },
    {
      Sid: 'UseKeysInThisAccount',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: inAccount('kms', 'key/*'),
    },
  ];
}

/** Shifting blue/green traffic between the target groups and connecting to the database with IAM. */
function trafficAndDatabaseStatements(
  props: PermissionsBoundaryProps,
  inAccount: InAccount,
): PolicyStatement[] {
  return [
    {
      Sid: 'ShiftBlueGreenTraffic',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
      ],
      Resource: [
        inAccount('elasticloadbalancing', `listener/app/${props.names.loadBalancer}/*`),
        inAccount('elasticloadbalancing', `listener-rule/app/${props.names.loadBalancer}/*`),
        inAccount('elasticloadbalancing', `targetgroup/${props.names.targetGroup}*/*`),
      ],
    },
    {
      Sid: 'ConnectToTheDatabaseWithIam',
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: inAccount('rds-db', `dbuser:*/${DB_SERVICE_USER}`),
    },
  ];
}

/**
 * The ceiling on every IAM role the service stack creates: the union of what those roles need at
 * run time (pull the image, write logs, read the environment's secrets, publish metrics, ECS Exec
 * channels, shift blue/green traffic, connect to the database with IAM), in this account and
 * region. A role's own policy still grants less; the boundary only stops the deploy role from
 * making a role that could do more.
 */
export class PermissionsBoundary extends Construct {
  public readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.names.permissionsBoundary,
      description: `Permissions boundary of the ${props.names.stack} stack's roles`,
      policy: policyDocument(boundaryStatements(props)),
    });
  }
}
