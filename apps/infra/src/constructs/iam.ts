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

/** Refuses role sets that could never be audited or could not work. */
function validate(props: ServiceRolesProps): void {
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
}

/** An execution role and its inline policy: pull, write logs, read exactly these secrets. */
function executionRole(
  scope: Construct,
  id: string,
  props: ServiceRolesProps,
  role: { name: string; description: string; secretArns: readonly string[] },
): { role: IamRole; policy: IamRolePolicy } {
  const iamRole = new IamRole(scope, `${id}-role`, {
    name: role.name,
    description: role.description,
    assumeRolePolicy: ecsTrust(props.aws),
  });
  const policy = new IamRolePolicy(scope, `${id}-policy`, {
    name: 'pull-log-secrets',
    role: iamRole.id,
    policy: policyDocument(executionStatements(props, role.secretArns)),
  });
  return { role: iamRole, policy };
}

/**
 * What the API itself may do: connect to the database as its own user (IAM authentication) and,
 * with ECS Exec, the SSM channels and the audit log. Metrics need nothing: the API writes them as
 * EMF lines to stdout, which the execution role's log permission delivers.
 */
function taskStatements(props: ServiceRolesProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (props.databaseConnect) {
    const { dbiResourceId, user } = props.databaseConnect;
    statements.push({
      Sid: 'ConnectToTheDatabaseAsTheServiceRole',
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: `arn:${props.aws.partition}:rds-db:${props.aws.region}:${props.aws.accountId}:dbuser:${dbiResourceId}/${user}`,
    });
  }
  if (props.enableExecuteCommand && props.execLogGroupArn) {
    statements.push(...execStatements(props, props.execLogGroupArn));
  }
  return statements;
}

function execStatements(props: ServiceRolesProps, execLogGroupArn: string): PolicyStatement[] {
  return [
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
      Resource: `${execLogGroupArn}:*`,
    },
    {
      Sid: 'EcsExecSessionKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: props.kmsKeyArn,
    },
  ];
}

/** Blue/green: the role ECS assumes to shift the production rule between the target groups. */
function loadBalancerRole(
  scope: Construct,
  props: ServiceRolesProps,
  lb: NonNullable<ServiceRolesProps['loadBalancerResources']>,
): IamRole {
  const role = new IamRole(scope, 'load-balancer-role', {
    name: props.loadBalancerRoleName,
    description: 'ECS blue/green: shift the production rule between the two target groups',
    assumeRolePolicy: ecsTrust(props.aws, 'ecs.amazonaws.com'),
  });
  // Inline, scoped equivalent of AmazonECSInfrastructureRolePolicyForLoadBalancers.
  new IamRolePolicy(scope, 'load-balancer-policy', {
    name: 'shift-traffic',
    role: role.id,
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
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        Resource: [...lb.targetGroupArns],
      },
    ]),
  });
  return role;
}

/**
 * The task's two roles, split as CKV_AWS_249 asks. Execution role (ECS agent): pull this one
 * image, write this one log group (which also carries the API's EMF metrics), read exactly the
 * injected secrets. Task role (the API at runtime): the database connect and, with ECS Exec, the
 * SSM channels and audit log. Inline, ARN-scoped policies only; no AWS-managed or *FullAccess
 * policy (AwsSolutions-IAM4).
 */
export class ServiceRoles extends Construct {
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly executionPolicy: IamRolePolicy;
  /** The task role's inline policy. @default none when the task needs no permission at all */
  public readonly taskPolicy?: IamRolePolicy;
  public readonly migrationExecutionRole?: IamRole;
  public readonly migrationExecutionPolicy?: IamRolePolicy;
  /** Blue/green only: the ECS infrastructure role for the load balancer. */
  public readonly loadBalancerRole?: IamRole;

  constructor(scope: Construct, id: string, props: ServiceRolesProps) {
    super(scope, id);
    validate(props);
    const execution = executionRole(this, 'execution', props, {
      name: props.executionRoleName,
      description: 'ECS agent: pull the image, write logs, read the injected secrets',
      secretArns: props.secretArns,
    });
    this.executionRole = execution.role;
    this.executionPolicy = execution.policy;
    if (props.migration) {
      const migration = executionRole(this, 'migration-execution', props, {
        name: props.migration.executionRoleName,
        description: 'ECS agent for the migration task: pull, write logs, read the master secret',
        secretArns: props.migration.secretArns,
      });
      this.migrationExecutionRole = migration.role;
      this.migrationExecutionPolicy = migration.policy;
    }

    this.taskRole = new IamRole(this, 'task-role', {
      name: props.taskRoleName,
      description: 'The API at runtime: the database connect, and ECS Exec when enabled',
      assumeRolePolicy: ecsTrust(props.aws),
    });
    const statements = taskStatements(props);
    if (statements.length > 0) {
      this.taskPolicy = new IamRolePolicy(this, 'task-policy', {
        name: 'runtime',
        role: this.taskRole.id,
        policy: policyDocument(statements),
      });
    }
    if (props.blueGreen && props.loadBalancerResources) {
      this.loadBalancerRole = loadBalancerRole(this, props, props.loadBalancerResources);
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
