import { migrationCommand } from '@prod-e/api-config';
import { type ResourceNames } from '@prod-e/deployment';

import { randomUUID } from 'node:crypto';

import { type CapacityProviderStrategyItem, type Task } from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { OpsError } from './errors';
import { listTaggedResources } from './inventory';
import { readTaskStream } from './log-events';
import { pollUntil } from './poll';
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
  onLog(line: LogLine): void;
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
 * the migration task family's newest, the container's command overridden with `migrationCommand()`. Waits for STOPPED while streaming the task's log, and reports the
 * container's exit code, which the CLI passes through.
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
  const capacity = placement.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: placement.capacityProviderStrategy }
    : { launchType: 'FARGATE' as const };
  const started = await aws.ecs.runTask({
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
    startedBy: 'prod-e-migrate',
    // The SDK retries a RunTask whose answer was lost; the token makes ECS start one task, not two.
    clientToken: randomUUID(),
    propagateTags: 'TASK_DEFINITION',
  });
  const task = started.tasks?.[0];
  if (!task?.taskArn || started.failures?.length) {
    const reasons = (started.failures ?? []).map((f) =>
      [f.reason, f.detail].filter(Boolean).join(': '),
    );
    return { ...base, startFailure: reasons.join('; ') || 'RunTask returned no task' };
  }
  const taskArn = task.taskArn;
  const taskId = taskIdOf(taskArn);
  const progress = runtime.io.progress(
    `Migration task ${taskId}: ${task.lastStatus ?? 'PROVISIONING'}`,
  );
  const deadline = runtime.clock.now() + options.timeoutMs;
  let nextToken: string | undefined;
  // GetLogEvents answers at most 1 MB (10,000 events) a call, and may answer an empty page while
  // more follows; it hands back the token it was given only at the end of the stream. Read until
  // then, so a chatty migration's last lines (usually the error) are never cut off.
  const drainLogs = async () => {
    for (;;) {
      const page = await readTaskStream(aws.logs, names, taskId, { nextToken });
      page.lines.forEach(options.onLog);
      const atEnd = page.missing || page.nextToken === nextToken;
      nextToken = page.nextToken;
      if (atEnd) return;
    }
  };

  const attempt = async (): Promise<MigrationResult | undefined> => {
    const current = (await aws.ecs.describeTasks({ cluster: names.cluster, tasks: [taskArn] }))
      .tasks?.[0];
    const status = current?.lastStatus ?? 'UNKNOWN';
    if (status !== 'PROVISIONING' && status !== 'PENDING') await drainLogs();
    progress.update(`Migration task ${taskId}: ${status}`);
    lastStatus = status;
    if (!current || status !== 'STOPPED') return undefined;
    // CloudWatch delivers the last lines a little after the task stops.
    await drainLogs();
    // The revision ECS really ran (a family alone names its newest).
    const ran = task.taskDefinitionArn ?? taskDefinition;
    return stoppedResult({ ...base, taskDefinition: ran, taskId }, current, names.container);
  };
  let lastStatus = task.lastStatus ?? 'PROVISIONING';
  const follow = `Follow it with: prod-e logs --env ${names.environment} --task ${taskId} --follow`;
  const outcome = await pollUntil(
    runtime.clock,
    runtime.signal,
    {
      deadline,
      intervalMs: options.intervalMs,
      onRetry: (error, pauseMs) =>
        progress.update(`${error.message} Retrying in ${Math.ceil(pauseMs / 1000)} s...`),
    },
    attempt,
  );
  if (outcome.kind === 'aborted') {
    progress.fail('Interrupted.');
    throw new OpsError('INTERRUPTED', `Interrupted; migration task ${taskId} keeps running.`, {
      suggestion: follow,
    });
  }
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
