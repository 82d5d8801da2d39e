import { migrationCommand } from '@prod-e/api-config';
import { type ResourceNames } from '@prod-e/deployment';

import { randomUUID } from 'node:crypto';

import {
  type CapacityProviderStrategyItem,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { OpsError } from './errors';
import { listTaggedResources } from './inventory';
import { readTaskStream } from './log-events';
import { waitWithProgress } from './poll';
import { type LogLine } from './log-format';
import { type Runtime } from './runtime';
import { describeService, taskIdOf } from './service-state';

export interface MigrationOptions {
  /** ARN or `family:revision`; by default the revision the service runs now. */
  taskDefinition?: string;
  dryRun: boolean;
  timeoutMs: number;
  intervalMs: number;
  /** Receives each log line of the migration task as it arrives. */
  onLog: (line: LogLine) => void;
}

export interface MigrationResult {
  taskDefinition: string;
  command: string[];
  taskId: string | null;
  /** Set when the task never ran the command (placement failure, image pull, secrets...). */
  startFailure: string | null;
  exitCode: number | null;
  stopCode: string | null;
  stoppedReason: string | null;
  containerReason: string | null;
}

/**
 * Runs the API's migrations as a one-off Fargate task: the service's subnets and security groups
 * (private, no public IP; found by tag before the service's first creation), the given revision or
 * the migration task family's newest, the container's command overridden with `migrationCommand()`.
 * Waits for STOPPED while streaming the task's log, and reports the container's exit code, which
 * the CLI passes through.
 */
export async function runMigrationTask(
  aws: AwsClients,
  names: ResourceNames,
  runtime: Runtime,
  options: MigrationOptions,
): Promise<MigrationResult> {
  const placement = await placementFor(aws, names, options.taskDefinition);
  // ECS runs a family's newest ACTIVE revision: the migration task, the one that holds the
  // master secret (the service's own role may not change the schema).
  const taskDefinition = options.taskDefinition ?? names.migrationTaskFamily;
  const command = migrationCommand({ dryRun: options.dryRun });
  const base: MigrationResult = {
    taskDefinition,
    command,
    taskId: null,
    startFailure: null,
    exitCode: null,
    stopCode: null,
    stoppedReason: null,
    containerReason: null,
  };
  const started = await aws.ecs.runTask(runTaskInput(names, placement, taskDefinition, command));
  const task = started.tasks?.[0];
  if (!task?.taskArn || started.failures?.length) {
    const reasons = (started.failures ?? []).map((f) =>
      [f.reason, f.detail].filter(Boolean).join(': '),
    );
    return { ...base, startFailure: reasons.join('; ') || 'RunTask returned no task' };
  }
  return waitForStop(aws, names, runtime, options, {
    base,
    task: { ...task, taskArn: task.taskArn },
  });
}

function runTaskInput(
  names: ResourceNames,
  placement: Placement,
  taskDefinition: string,
  command: string[],
): RunTaskCommandInput {
  const capacity = placement.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: placement.capacityProviderStrategy }
    : { launchType: 'FARGATE' as const };
  return {
    cluster: names.cluster,
    taskDefinition,
    count: 1,
    ...capacity,
    platformVersion: placement.platformVersion,
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: placement.subnets,
        securityGroups: placement.securityGroups,
        assignPublicIp: 'DISABLED',
      },
    },
    overrides: { containerOverrides: [{ name: names.container, command }] },
    // Marks the task as the migration's (ECS sets a deployment id here for the service's tasks).
    startedBy: names.migrationTaskFamily,
    // The SDK retries a RunTask whose answer was lost; the token makes ECS start one task, not two.
    clientToken: randomUUID(),
    propagateTags: 'TASK_DEFINITION',
  };
}
/**
 * Polls the started task until STOPPED, streaming its log on the way, and says how it ended on
 * the progress line.
 */
async function waitForStop(
  aws: AwsClients,
  names: ResourceNames,
  runtime: Runtime,
  options: MigrationOptions,
  started: { base: MigrationResult; task: Task & { taskArn: string } },
): Promise<MigrationResult> {
  const { base, task } = started;
  const taskId = taskIdOf(task.taskArn);
  let lastStatus = task.lastStatus ?? 'PROVISIONING';
  const progress = runtime.io.progress(`Migration task ${taskId}: ${lastStatus}`);
  const drainLogs = logDrain(aws, names, taskId, options.onLog);
  const attempt = async (): Promise<MigrationResult | undefined> => {
    const current = (await aws.ecs.describeTasks({ cluster: names.cluster, tasks: [task.taskArn] }))
      .tasks?.[0];
    lastStatus = current?.lastStatus ?? 'UNKNOWN';
    if (lastStatus !== 'PROVISIONING' && lastStatus !== 'PENDING') await drainLogs();
    progress.update(`Migration task ${taskId}: ${lastStatus}`);
    if (!current || lastStatus !== 'STOPPED') return undefined;
    // CloudWatch delivers the last lines a little after the task stops.
    await drainLogs();
    // The revision ECS really ran (a family alone names its newest).
    const ran = task.taskDefinitionArn ?? base.taskDefinition;
    return stoppedResult({ ...base, taskDefinition: ran, taskId }, current, names.container);
  };
  const follow = `Follow it with: prod-e logs --env ${names.environment} --task ${taskId} --follow`;
  const outcome = await waitWithProgress(
    runtime,
    progress,
    {
      deadline: runtime.clock.now() + options.timeoutMs,
      intervalMs: options.intervalMs,
      interrupted: new OpsError(
        'INTERRUPTED',
        `Interrupted; migration task ${taskId} keeps running.`,
        {
          suggestion: follow,
        },
      ),
    },
    attempt,
  );
  if (outcome.kind === 'timeout') {
    progress.fail(`Migration task ${taskId} still ${lastStatus}.`);
    throw new OpsError(
      'CHECK_FAILED',
      `Migration task ${taskId} was still ${lastStatus} after ${Math.round(options.timeoutMs / 1000)} s; it keeps running.`,
      { suggestion: follow },
    );
  }
  const result = outcome.value;
  if (result.startFailure) progress.fail(`Migration task ${taskId} failed to start.`);
  else if (result.exitCode === 0) progress.succeed(`Migration task ${taskId} finished.`);
  else progress.fail(`Migration task ${taskId} exited with ${result.exitCode ?? 'no exit code'}.`);
  return result;
}

/**
 * Reads the task's log stream to its current end on each call. GetLogEvents answers at most
 * 1 MB (10,000 events) a call, and may answer an empty page while more follows; it hands back
 * the token it was given only at the end of the stream. Reading until then means a chatty
 * migration's last lines (usually the error) are never cut off.
 */
function logDrain(
  aws: AwsClients,
  names: ResourceNames,
  taskId: string,
  onLog: (line: LogLine) => void,
): () => Promise<void> {
  let nextToken: string | undefined;
  return async () => {
    for (;;) {
      const page = await readTaskStream(aws.logs, names, taskId, { nextToken });
      page.lines.forEach(onLog);
      const atEnd = page.missing || page.nextToken === nextToken;
      nextToken = page.nextToken;
      if (atEnd) return;
    }
  };
}

interface Placement {
  subnets: string[];
  securityGroups: string[];
  platformVersion?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
}

/**
 * Where the task runs: the service's own network configuration. On the stack's first apply the
 * migration runs before the service exists (the service depends on it), so then the private
 * subnets and the service security group are found by their Name tags instead.
 */
async function placementFor(
  aws: AwsClients,
  names: ResourceNames,
  taskDefinition: string | undefined,
): Promise<Placement> {
  try {
    const service = await describeService(aws.ecs, names, aws.region);
    const network = service.networkConfiguration?.awsvpcConfiguration;
    if (!network?.subnets?.length) {
      throw new OpsError(
        'NOT_FOUND',
        `Service ${names.service} has no awsvpc network configuration to run in.`,
      );
    }
    return {
      subnets: network.subnets,
      securityGroups: network.securityGroups ?? [],
      platformVersion: service.platformVersion,
      capacityProviderStrategy: service.capacityProviderStrategy,
    };
  } catch (error) {
    if (!(error instanceof OpsError && error.code === 'NOT_FOUND' && taskDefinition)) throw error;
  }
  const tagged = await listTaggedResources(aws.tagging, names.environment, [
    'ec2:subnet',
    'ec2:security-group',
  ]);
  const idOf = (kind: string, name: string) => {
    const found = tagged.find((r) => r.kind === kind && r.name === name);
    return found && found.arn.slice(found.arn.lastIndexOf('/') + 1);
  };
  const wanted = [
    ...names.privateSubnets.map((name) => ['ec2:subnet', name] as const),
    ['ec2:security-group', names.serviceSecurityGroup] as const,
  ];
  const missing = wanted.filter(([kind, name]) => !idOf(kind, name)).map(([, name]) => name);
  if (missing.length) {
    throw new OpsError(
      'NOT_FOUND',
      `Service ${names.service} does not exist yet and ${missing.join(', ')} could not be found by tag.`,
      { suggestion: 'Apply the network layer first, or check --env and --region.' },
    );
  }
  return {
    subnets: names.privateSubnets.map((name) => idOf('ec2:subnet', name) as string),
    securityGroups: [idOf('ec2:security-group', names.serviceSecurityGroup) as string],
  };
}

function stoppedResult(base: MigrationResult, task: Task, container: string): MigrationResult {
  const c = task.containers?.find((x) => x.name === container) ?? task.containers?.[0];
  const result: MigrationResult = {
    ...base,
    exitCode: c?.exitCode ?? null,
    stopCode: task.stopCode ?? null,
    stoppedReason: task.stoppedReason ?? null,
    containerReason: c?.reason ?? null,
  };
  if (task.stopCode === 'TaskFailedToStart' || (result.exitCode === null && !c?.reason)) {
    result.startFailure =
      [task.stoppedReason, c?.reason].filter(Boolean).join('; ') ||
      'the task stopped before its container ran';
  }
  return result;
}
