import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type DescribeLogGroupsCommandInput,
  type DescribeLogGroupsCommandOutput,
  DescribeQueryDefinitionsCommand,
  type DescribeQueryDefinitionsCommandInput,
  type DescribeQueryDefinitionsCommandOutput,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilterLogEventsCommandOutput,
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  type GetLogEventsCommandOutput,
  GetQueryResultsCommand,
  type GetQueryResultsCommandInput,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
  type StartQueryCommandInput,
  type StartQueryCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchDeleteImageCommand,
  type BatchDeleteImageCommandInput,
  type BatchDeleteImageCommandOutput,
  BatchGetImageCommand,
  type BatchGetImageCommandInput,
  type BatchGetImageCommandOutput,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  ECRClient,
} from '@aws-sdk/client-ecr';
import {
  DeleteTaskDefinitionsCommand,
  type DeleteTaskDefinitionsCommandInput,
  type DeleteTaskDefinitionsCommandOutput,
  DeregisterTaskDefinitionCommand,
  type DeregisterTaskDefinitionCommandInput,
  type DeregisterTaskDefinitionCommandOutput,
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  type DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandInput,
  type DescribeTaskDefinitionCommandOutput,
  DescribeTasksCommand,
  type DescribeTasksCommandInput,
  type DescribeTasksCommandOutput,
  ECSClient,
  ListTaskDefinitionsCommand,
  type ListTaskDefinitionsCommandInput,
  type ListTaskDefinitionsCommandOutput,
  ListTasksCommand,
  type ListTasksCommandInput,
  type ListTasksCommandOutput,
  RunTaskCommand,
  type RunTaskCommandInput,
  type RunTaskCommandOutput,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
  type UpdateServiceCommandOutput,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  type DescribeLoadBalancersCommandInput,
  type DescribeLoadBalancersCommandOutput,
  DescribeTargetHealthCommand,
  type DescribeTargetHealthCommandInput,
  type DescribeTargetHealthCommandOutput,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetRoleCommand,
  type GetRoleCommandInput,
  type GetRoleCommandOutput,
  IAMClient,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
  type SimulatePrincipalPolicyCommandOutput,
} from '@aws-sdk/client-iam';
import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  type GetResourcesCommandOutput,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DescribeSecretCommand,
  type DescribeSecretCommandInput,
  type DescribeSecretCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandOutput,
  STSClient,
} from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';

import { fromAwsError, OpsError } from './errors';

/** How ops reaches AWS: region, optional named profile, and a bound on every call. */
export interface AwsOptions {
  readonly region: string;
  /** A profile from ~/.aws/config; otherwise the default provider chain (env, SSO, IMDS, ...). */
  readonly profile?: string;
  /** Upper bound for one API call, including retries. */
  readonly callTimeoutMs: number;
}

/** Only the ECS calls ops makes (cdk-assets style narrow clients keep mocks and IAM honest). */
export interface EcsApi {
  describeServices(input: DescribeServicesCommandInput): Promise<DescribeServicesCommandOutput>;
  describeTasks(input: DescribeTasksCommandInput): Promise<DescribeTasksCommandOutput>;
  listTasks(input: ListTasksCommandInput): Promise<ListTasksCommandOutput>;
  describeTaskDefinition(
    input: DescribeTaskDefinitionCommandInput,
  ): Promise<DescribeTaskDefinitionCommandOutput>;
  listTaskDefinitions(
    input: ListTaskDefinitionsCommandInput,
  ): Promise<ListTaskDefinitionsCommandOutput>;
  updateService(input: UpdateServiceCommandInput): Promise<UpdateServiceCommandOutput>;
  runTask(input: RunTaskCommandInput): Promise<RunTaskCommandOutput>;
  deregisterTaskDefinition(
    input: DeregisterTaskDefinitionCommandInput,
  ): Promise<DeregisterTaskDefinitionCommandOutput>;
  deleteTaskDefinitions(
    input: DeleteTaskDefinitionsCommandInput,
  ): Promise<DeleteTaskDefinitionsCommandOutput>;
}

export interface ElbApi {
  describeLoadBalancers(
    input: DescribeLoadBalancersCommandInput,
  ): Promise<DescribeLoadBalancersCommandOutput>;
  describeTargetHealth(
    input: DescribeTargetHealthCommandInput,
  ): Promise<DescribeTargetHealthCommandOutput>;
}

export interface LogsApi {
  filterLogEvents(input: FilterLogEventsCommandInput): Promise<FilterLogEventsCommandOutput>;
  getLogEvents(input: GetLogEventsCommandInput): Promise<GetLogEventsCommandOutput>;
  describeLogGroups(input: DescribeLogGroupsCommandInput): Promise<DescribeLogGroupsCommandOutput>;
  describeQueryDefinitions(
    input: DescribeQueryDefinitionsCommandInput,
  ): Promise<DescribeQueryDefinitionsCommandOutput>;
  startQuery(input: StartQueryCommandInput): Promise<StartQueryCommandOutput>;
  getQueryResults(input: GetQueryResultsCommandInput): Promise<GetQueryResultsCommandOutput>;
}

export interface EcrApi {
  describeImages(input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput>;
  batchDeleteImage(input: BatchDeleteImageCommandInput): Promise<BatchDeleteImageCommandOutput>;
  batchGetImage(input: BatchGetImageCommandInput): Promise<BatchGetImageCommandOutput>;
}

export interface IamApi {
  getRole(input: GetRoleCommandInput): Promise<GetRoleCommandOutput>;
  simulatePrincipalPolicy(
    input: SimulatePrincipalPolicyCommandInput,
  ): Promise<SimulatePrincipalPolicyCommandOutput>;
}

export interface SecretsApi {
  describeSecret(input: DescribeSecretCommandInput): Promise<DescribeSecretCommandOutput>;
}

export interface TaggingApi {
  getResources(input: GetResourcesCommandInput): Promise<GetResourcesCommandOutput>;
}

export interface CloudWatchApi {
  describeAlarms(input: DescribeAlarmsCommandInput): Promise<DescribeAlarmsCommandOutput>;
}

export interface StsApi {
  getCallerIdentity(): Promise<GetCallerIdentityCommandOutput>;
}

export interface AwsClients {
  readonly region: string;
  readonly ecs: EcsApi;
  readonly elb: ElbApi;
  readonly logs: LogsApi;
  readonly ecr: EcrApi;
  readonly tagging: TaggingApi;
  readonly cloudwatch: CloudWatchApi;
  readonly sts: StsApi;
  readonly iam: IamApi;
  readonly secrets: SecretsApi;
}

/** The list fields ops reads from each answer: the SDK does not check what an endpoint sent. */
const LIST_FIELDS: Record<string, readonly string[]> = {
  'ecs:DescribeServices': ['services', 'failures'],
  'ecs:DescribeTasks': ['tasks'],
  'ecs:ListTasks': ['taskArns'],
  'ecs:ListTaskDefinitions': ['taskDefinitionArns'],
  'elasticloadbalancing:DescribeTargetHealth': ['TargetHealthDescriptions'],
  'elasticloadbalancing:DescribeLoadBalancers': ['LoadBalancers'],
  'logs:FilterLogEvents': ['events'],
  'logs:GetLogEvents': ['events'],
  'logs:DescribeQueryDefinitions': ['queryDefinitions'],
  'ecr:DescribeImages': ['imageDetails'],
  'tag:GetResources': ['ResourceTagMappingList'],
  'cloudwatch:DescribeAlarms': ['MetricAlarms', 'CompositeAlarms'],
};

/**
 * An answer whose lists are not lists did not come from AWS as documented (a proxy, a fake
 * endpoint): say so as an AWS error, rather than fail later as if prod-e had a bug.
 */
function checkShape<T>(action: string, output: T): T {
  const fields = output as Record<string, unknown>;
  const bad = (LIST_FIELDS[action] ?? []).filter(
    (field) =>
      fields[field] !== undefined && fields[field] !== null && !Array.isArray(fields[field]),
  );
  if (bad.length) {
    throw new OpsError(
      'AWS_ERROR',
      `${action} answered with an unexpected response: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a list.`,
      {
        suggestion: 'Check AWS_ENDPOINT_URL and any proxy between you and AWS.',
        context: { action },
      },
    );
  }
  return output;
}

/**
 * Builds the clients. Credentials come from the SDK's default provider chain (or `profile`);
 * each call is bounded twice: socket timeouts on the HTTP handler, and an AbortSignal for the
 * whole call including the SDK's retries. Every failure becomes an OpsError naming the action.
 */
export function createAwsClients(options: AwsOptions): AwsClients {
  const config = {
    region: options.region,
    // An explicit profile is read as such: the default chain would also see AWS_ACCESS_KEY_ID
    // and print a multi-line warning about two credential sources on every run.
    ...(options.profile ? { credentials: fromIni({ profile: options.profile }) } : {}),
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: Math.min(options.callTimeoutMs, 5_000),
      requestTimeout: options.callTimeoutMs,
    },
  };
  const call = async <T>(
    action: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    input?: object,
  ) => {
    try {
      return checkShape(action, await send(AbortSignal.timeout(options.callTimeoutMs)));
    } catch (error) {
      const cluster = input && 'cluster' in input ? (input.cluster as string) : undefined;
      throw fromAwsError(error, action, { ...options, cluster });
    }
  };

  const ecs = new ECSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const logs = new CloudWatchLogsClient(config);
  const ecr = new ECRClient(config);
  const tagging = new ResourceGroupsTaggingAPIClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const sts = new STSClient(config);
  const iam = new IAMClient(config);
  const secrets = new SecretsManagerClient(config);

  return {
    region: options.region,
    ecs: {
      describeServices: (input) =>
        call(
          'ecs:DescribeServices',
          (abortSignal) => ecs.send(new DescribeServicesCommand(input), { abortSignal }),
          input,
        ),
      describeTasks: (input) =>
        call(
          'ecs:DescribeTasks',
          (abortSignal) => ecs.send(new DescribeTasksCommand(input), { abortSignal }),
          input,
        ),
      listTasks: (input) =>
        call(
          'ecs:ListTasks',
          (abortSignal) => ecs.send(new ListTasksCommand(input), { abortSignal }),
          input,
        ),
      describeTaskDefinition: (input) =>
        call(
          'ecs:DescribeTaskDefinition',
          (abortSignal) => ecs.send(new DescribeTaskDefinitionCommand(input), { abortSignal }),
          input,
        ),
      listTaskDefinitions: (input) =>
        call(
          'ecs:ListTaskDefinitions',
          (abortSignal) => ecs.send(new ListTaskDefinitionsCommand(input), { abortSignal }),
          input,
        ),
      updateService: (input) =>
        call(
          'ecs:UpdateService',
          (abortSignal) => ecs.send(new UpdateServiceCommand(input), { abortSignal }),
          input,
        ),
      runTask: (input) =>
        call(
          'ecs:RunTask',
          (abortSignal) => ecs.send(new RunTaskCommand(input), { abortSignal }),
          input,
        ),
      deregisterTaskDefinition: (input) =>
        call(
          'ecs:DeregisterTaskDefinition',
          (abortSignal) => ecs.send(new DeregisterTaskDefinitionCommand(input), { abortSignal }),
          input,
        ),
      deleteTaskDefinitions: (input) =>
        call(
          'ecs:DeleteTaskDefinitions',
          (abortSignal) => ecs.send(new DeleteTaskDefinitionsCommand(input), { abortSignal }),
          input,
        ),
    },
    elb: {
      describeLoadBalancers: (input) =>
        call('elasticloadbalancing:DescribeLoadBalancers', (abortSignal) =>
          elb.send(new DescribeLoadBalancersCommand(input), { abortSignal }),
        ),
      describeTargetHealth: (input) =>
        call('elasticloadbalancing:DescribeTargetHealth', (abortSignal) =>
          elb.send(new DescribeTargetHealthCommand(input), { abortSignal }),
        ),
    },
    logs: {
      filterLogEvents: (input) =>
        call('logs:FilterLogEvents', (abortSignal) =>
          logs.send(new FilterLogEventsCommand(input), { abortSignal }),
        ),
      getLogEvents: (input) =>
        call('logs:GetLogEvents', (abortSignal) =>
          logs.send(new GetLogEventsCommand(input), { abortSignal }),
        ),
      describeLogGroups: (input) =>
        call('logs:DescribeLogGroups', (abortSignal) =>
          logs.send(new DescribeLogGroupsCommand(input), { abortSignal }),
        ),
      describeQueryDefinitions: (input) =>
        call('logs:DescribeQueryDefinitions', (abortSignal) =>
          logs.send(new DescribeQueryDefinitionsCommand(input), { abortSignal }),
        ),
      startQuery: (input) =>
        call('logs:StartQuery', (abortSignal) =>
          logs.send(new StartQueryCommand(input), { abortSignal }),
        ),
      getQueryResults: (input) =>
        call('logs:GetQueryResults', (abortSignal) =>
          logs.send(new GetQueryResultsCommand(input), { abortSignal }),
        ),
    },
    ecr: {
      describeImages: (input) =>
        call('ecr:DescribeImages', (abortSignal) =>
          ecr.send(new DescribeImagesCommand(input), { abortSignal }),
        ),
      batchDeleteImage: (input) =>
        call('ecr:BatchDeleteImage', (abortSignal) =>
          ecr.send(new BatchDeleteImageCommand(input), { abortSignal }),
        ),
      batchGetImage: (input) =>
        call('ecr:BatchGetImage', (abortSignal) =>
          ecr.send(new BatchGetImageCommand(input), { abortSignal }),
        ),
    },
    tagging: {
      getResources: (input) =>
        call('tag:GetResources', (abortSignal) =>
          tagging.send(new GetResourcesCommand(input), { abortSignal }),
        ),
    },
    cloudwatch: {
      describeAlarms: (input) =>
        call('cloudwatch:DescribeAlarms', (abortSignal) =>
          cloudwatch.send(new DescribeAlarmsCommand(input), { abortSignal }),
        ),
    },
    sts: {
      getCallerIdentity: () =>
        call('sts:GetCallerIdentity', (abortSignal) =>
          sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
        ),
    },
    iam: {
      getRole: (input) =>
        call('iam:GetRole', (abortSignal) => iam.send(new GetRoleCommand(input), { abortSignal })),
      simulatePrincipalPolicy: (input) =>
        call('iam:SimulatePrincipalPolicy', (abortSignal) =>
          iam.send(new SimulatePrincipalPolicyCommand(input), { abortSignal }),
        ),
    },
    secrets: {
      describeSecret: (input) =>
        call('secretsmanager:DescribeSecret', (abortSignal) =>
          secrets.send(new DescribeSecretCommand(input), { abortSignal }),
        ),
    },
  };
}
