import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import {
  findLogGroupsStatement,
  type PolicyStatement,
  policyDocument,
  serviceTrustPolicy,
} from './iam-document';

export interface ServiceRolesProps {
  readonly aws: AwsEnvironment;
  readonly executionRoleName: string;
  readonly taskRoleName: string;
  readonly repositoryArn: string;
  readonly logGroupArn: string;
  /** Exactly the secrets the task definition injects through `secrets`. */
  readonly secretArns: readonly string[];
  /** The key those secrets (and the ECS Exec session) are encrypted with. */
  readonly kmsKeyArn: string;
  /** CloudWatch namespace the API may publish custom metrics to. */
  readonly metricsNamespace: string;
  /** Grant the SSM channels ECS Exec needs; requires execLogGroupArn. @default false */
  readonly enableExecuteCommand?: boolean;
  /** Where ECS Exec sessions are logged (the task writes the transcript). @default none (required with enableExecuteCommand) */
  readonly execLogGroupArn?: string;
  /**
   * The migration task's own execution role, reading its own secrets (the database master
   * secret). @default none
   */
  readonly migration?: {
    readonly executionRoleName: string;
    readonly secretArns: readonly string[];
  };
  /**
   * IAM database authentication: the task role may connect as this database user only.
   * @default none
   */
  readonly databaseConnect?: { readonly dbiResourceId: string; readonly user: string };
  /** Blue/green: also create the role ECS assumes to shift listener rule weights. @default false */
  readonly blueGreen?: boolean;
  /** Blue/green: name of the role ECS assumes to shift traffic. @default none (required with blueGreen) */
  readonly loadBalancerRoleName?: string;
  /** Blue/green: the ARNs that role may touch. @default none (required with blueGreen) */
  readonly loadBalancerResources?: {
    readonly listenerRuleArns: readonly string[];
    readonly targetGroupArns: readonly string[];
  };
}

/** Trust for ECS (tasks, or the service itself for blue/green), limited to this account's ECS. */
function ecsTrust(aws: AwsEnvironment, service = 'ecs-tasks.amazonaws.com'): string {
  return serviceTrustPolicy(
    service,
    aws,
    `arn:${aws.partition}:ecs:${aws.region}:${aws.accountId}:*`,
  );
}

/**
 * The task's two roles, split as CKV_AWS_249 asks. Execution role (ECS agent): pull this one
 * image, write this one log group, read exactly the injected secrets. Task role (the API at
 * runtime): publish metrics in its namespace and, with ECS Exec, the SSM channels and audit log.
 * Inline, ARN-scoped policies only; no AWS-managed or *FullAccess policy (AwsSolutions-IAM4).
 */
export class ServiceRoles extends Construct {
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly executionPolicy: IamRolePolicy;
  public readonly taskPolicy: IamRolePolicy;
  public readonly migrationExecutionRole?: IamRole;
  public readonly migrationExecutionPolicy?: IamRolePolicy;
  /** Blue/green only: the ECS infrastructure role for the load balancer. */
  public readonly loadBalancerRole?: IamRole;

  constructor(scope: Construct, id: string, props: ServiceRolesProps) {
    super(scope, id);
    if (props.enableExecuteCommand && !props.execLogGroupArn) {
      throw new Error(
        'ServiceRoles: enableExecuteCommand without execLogGroupArn would allow shell sessions nobody can audit; pass the ECS Exec log group.',
      );
    }
    if (props.secretArns.length === 0) {
      throw new Error(
        'ServiceRoles: secretArns is empty; pass the ARNs of the secrets the task definition injects (the database and token secrets).',
      );
    }
    if (props.blueGreen && (!props.loadBalancerResources || !props.loadBalancerRoleName)) {
      throw new Error(
        'ServiceRoles: blueGreen needs loadBalancerRoleName and loadBalancerResources (the production rule and both target groups).',
      );
    }

    this.executionRole = new IamRole(this, 'execution-role', {
      name: props.executionRoleName,
      description: 'ECS agent: pull the image, write logs, read the injected secrets',
      assumeRolePolicy: ecsTrust(props.aws),
    });
    this.executionPolicy = new IamRolePolicy(this, 'execution-policy', {
      name: 'pull-log-secrets',
      role: this.executionRole.id,
      policy: policyDocument(executionStatements(props, props.secretArns)),
    });
    if (props.migration) {
      this.migrationExecutionRole = new IamRole(this, 'migration-execution-role', {
        name: props.migration.executionRoleName,
        description: 'ECS agent for the migration task: pull, write logs, read the master secret',
        assumeRolePolicy: ecsTrust(props.aws),
      });
      this.migrationExecutionPolicy = new IamRolePolicy(this, 'migration-execution-policy', {
        name: 'pull-log-secrets',
        role: this.migrationExecutionRole.id,
        policy: policyDocument(executionStatements(props, props.migration.secretArns)),
      });
    }

    const taskStatements: PolicyStatement[] = [
      {
        Sid: 'PublishMetricsInOwnNamespace',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': props.metricsNamespace } },
      },
    ];
    if (props.databaseConnect) {
      const { dbiResourceId, user } = props.databaseConnect;
      taskStatements.push({
        Sid: 'ConnectToTheDatabaseAsTheServiceRole',
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: `arn:${props.aws.partition}:rds-db:${props.aws.region}:${props.aws.accountId}:dbuser:${dbiResourceId}/${user}`,
      });
    }
    if (props.enableExecuteCommand && props.execLogGroupArn) {
      taskStatements.push(
        {
          Sid: 'EcsExecChannels',
          Effect: 'Allow',
          Action: [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          Resource: '*',
        },
        // The SSM agent checks the audit group exists and is encrypted before a session starts.
        findLogGroupsStatement('EcsExecFindAuditLog', props.aws),
        {
          Sid: 'EcsExecAuditLog',
          Effect: 'Allow',
          Action: ['logs:DescribeLogStreams', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${props.execLogGroupArn}:*`,
        },
        {
          Sid: 'EcsExecSessionKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: props.kmsKeyArn,
        },
      );
    }
    this.taskRole = new IamRole(this, 'task-role', {
      name: props.taskRoleName,
      description: 'The API at runtime: metrics, and ECS Exec when enabled',
      assumeRolePolicy: ecsTrust(props.aws),
    });
    this.taskPolicy = new IamRolePolicy(this, 'task-policy', {
      name: 'runtime',
      role: this.taskRole.id,
      policy: policyDocument(taskStatements),
    });

    if (props.blueGreen && props.loadBalancerResources) {
      const lb = props.loadBalancerResources;
      this.loadBalancerRole = new IamRole(this, 'load-balancer-role', {
        name: props.loadBalancerRoleName,
        description: 'ECS blue/green: shift the production rule between the two target groups',
        assumeRolePolicy: ecsTrust(props.aws, 'ecs.amazonaws.com'),
      });
      // Inline, scoped equivalent of AmazonECSInfrastructureRolePolicyForLoadBalancers.
      new IamRolePolicy(this, 'load-balancer-policy', {
        name: 'shift-traffic',
        role: this.loadBalancerRole.id,
        policy: policyDocument([
          {
            Sid: 'DescribeLoadBalancing',
            Effect: 'Allow',
            Action: [
              'elasticloadbalancing:DescribeListeners',
              'elasticloadbalancing:DescribeRules',
              'elasticloadbalancing:DescribeTargetGroups',
              'elasticloadbalancing:DescribeTargetHealth',
            ],
            Resource: '*',
          },
          {
            Sid: 'ShiftProductionRule',
            Effect: 'Allow',
            Action: 'elasticloadbalancing:ModifyRule',
            Resource: [...lb.listenerRuleArns],
          },
          {
            Sid: 'RegisterTargets',
            Effect: 'Allow',
            Action: [
              'elasticloadbalancing:RegisterTargets',
              'elasticloadbalancing:DeregisterTargets',
            ],
            Resource: [...lb.targetGroupArns],
          },
        ]),
      });
    }
  }
}

/** The ECS agent's needs: pull this one image, write this one log group, read these secrets. */
function executionStatements(
  props: ServiceRolesProps,
  secretArns: readonly string[],
): PolicyStatement[] {
  return [
    {
      Sid: 'EcrAuthorizationToken',
      Effect: 'Allow',
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
    },
    {
      Sid: 'EcrPullServiceImage',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
      ],
      Resource: props.repositoryArn,
    },
    {
      Sid: 'WriteContainerLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${props.logGroupArn}:log-stream:*`,
    },
    {
      Sid: 'ReadInjectedSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: [...secretArns],
    },
    {
      Sid: 'DecryptInjectedSecrets',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: props.kmsKeyArn,
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${props.aws.region}.amazonaws.com` },
      },
    },
  ];
}
