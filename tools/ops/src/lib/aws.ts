import { DescribeAlarmsCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeQueryDefinitionsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { type SdkAdapter, sdkAdapter, type SdkCall } from '@prod-e/cli-kit';

import { fromAwsError, OpsError } from './errors';

/** How ops reaches AWS: region, optional named profile, and a bound on every call. */
export interface AwsOptions {
  readonly region: string;
  /** A profile from ~/.aws/config; otherwise the default provider chain (env, SSO, IMDS, ...). */
  readonly profile?: string;
  /** Upper bound for one API call, including retries. */
  readonly callTimeoutMs: number;
}

/**
 * Only the calls ops makes, per service (cdk-assets style narrow clients keep mocks and IAM
 * honest): each method is the command's name, sent as the IAM action `<service>:<Command>`.
 */
const ECS_COMMANDS = {
  describeServices: DescribeServicesCommand,
  describeTasks: DescribeTasksCommand,
  listTasks: ListTasksCommand,
  describeTaskDefinition: DescribeTaskDefinitionCommand,
  listTaskDefinitions: ListTaskDefinitionsCommand,
  updateService: UpdateServiceCommand,
  runTask: RunTaskCommand,
  deregisterTaskDefinition: DeregisterTaskDefinitionCommand,
  deleteTaskDefinitions: DeleteTaskDefinitionsCommand,
};
const ELB_COMMANDS = {
  describeLoadBalancers: DescribeLoadBalancersCommand,
  describeTargetHealth: DescribeTargetHealthCommand,
};
const LOGS_COMMANDS = {
  filterLogEvents: FilterLogEventsCommand,
  getLogEvents: GetLogEventsCommand,
  describeLogGroups: DescribeLogGroupsCommand,
  describeQueryDefinitions: DescribeQueryDefinitionsCommand,
  startQuery: StartQueryCommand,
  getQueryResults: GetQueryResultsCommand,
};
const ECR_COMMANDS = {
  describeImages: DescribeImagesCommand,
  batchDeleteImage: BatchDeleteImageCommand,
  batchGetImage: BatchGetImageCommand,
};
const IAM_COMMANDS = {
  getRole: GetRoleCommand,
  simulatePrincipalPolicy: SimulatePrincipalPolicyCommand,
};
const SECRETS_COMMANDS = { describeSecret: DescribeSecretCommand };
const TAGGING_COMMANDS = { getResources: GetResourcesCommand };
const CLOUDWATCH_COMMANDS = { describeAlarms: DescribeAlarmsCommand };
const STS_COMMANDS = { getCallerIdentity: GetCallerIdentityCommand };

export type EcsApi = SdkAdapter<typeof ECS_COMMANDS>;
export type ElbApi = SdkAdapter<typeof ELB_COMMANDS>;
export type LogsApi = SdkAdapter<typeof LOGS_COMMANDS>;
export type EcrApi = SdkAdapter<typeof ECR_COMMANDS>;
export type IamApi = SdkAdapter<typeof IAM_COMMANDS>;
export type SecretsApi = SdkAdapter<typeof SECRETS_COMMANDS>;
export type TaggingApi = SdkAdapter<typeof TAGGING_COMMANDS>;
export type CloudWatchApi = SdkAdapter<typeof CLOUDWATCH_COMMANDS>;
export type StsApi = SdkAdapter<typeof STS_COMMANDS>;

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
  const call: SdkCall = async (action, send, input) => {
    try {
      return checkShape(action, await send(AbortSignal.timeout(options.callTimeoutMs)));
    } catch (error) {
      const cluster = 'cluster' in input ? (input.cluster as string) : undefined;
      throw fromAwsError(error, action, { ...options, cluster });
    }
  };
  return {
    region: options.region,
    ecs: sdkAdapter(new ECSClient(config), 'ecs', ECS_COMMANDS, call),
    elb: sdkAdapter(
      new ElasticLoadBalancingV2Client(config),
      'elasticloadbalancing',
      ELB_COMMANDS,
      call,
    ),
    logs: sdkAdapter(new CloudWatchLogsClient(config), 'logs', LOGS_COMMANDS, call),
    ecr: sdkAdapter(new ECRClient(config), 'ecr', ECR_COMMANDS, call),
    tagging: sdkAdapter(new ResourceGroupsTaggingAPIClient(config), 'tag', TAGGING_COMMANDS, call),
    cloudwatch: sdkAdapter(new CloudWatchClient(config), 'cloudwatch', CLOUDWATCH_COMMANDS, call),
    sts: sdkAdapter(new STSClient(config), 'sts', STS_COMMANDS, call),
    iam: sdkAdapter(new IAMClient(config), 'iam', IAM_COMMANDS, call),
    secrets: sdkAdapter(new SecretsManagerClient(config), 'secretsmanager', SECRETS_COMMANDS, call),
  };
}
