import { type ResourceNames } from '@prod-e/deployment';

import { type Deployment, type Service, type Task, type TaskDefinition } from '@aws-sdk/client-ecs';
import { type TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';

import { type AwsClients, type EcsApi } from './aws';
import { OpsError } from './errors';
import { allPages } from './paginate';
import {
  containerImage,
  describeTaskDefinitions,
  imageTagOf,
  parseTaskDefinitionRef,
} from './task-definitions';

export interface DeploymentSummary {
  id: string;
  status: string;
  rolloutState: string | null;
  rolloutStateReason: string | null;
  taskDefinition: string;
  revision: number | null;
  image: string | null;
  imageTag: string | null;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface TaskSummary {
  id: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus: string;
  availabilityZone: string | null;
  revision: number | null;
  startedAt: string | null;
}

export interface TargetSummary {
  id: string;
  port: number | null;
  availabilityZone: string | null;
  state: string;
  reason: string | null;
  description: string | null;
}

export interface ServiceEvent {
  at: string | null;
  message: string;
}

export interface ServiceSnapshot {
  cluster: string;
  service: string;
  serviceStatus: string;
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string;
  deployments: DeploymentSummary[];
  targetGroups: string[];
  targets: TargetSummary[];
  events: ServiceEvent[];
  /** Raw service, for the network configuration and capacity settings. */
  raw: Service;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

export function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** DescribeServices for the environment's service; missing or inactive is a NOT_FOUND error. */
export async function describeService(
  ecs: EcsApi,
  names: ResourceNames,
  region?: string,
): Promise<Service> {
  const result = await ecs.describeServices({ cluster: names.cluster, services: [names.service] });
  const service = result.services?.[0];
  if (!service || service.status === 'INACTIVE') {
    const reason = result.failures?.[0]?.reason ?? service?.status ?? 'MISSING';
    throw new OpsError(
      'NOT_FOUND',
      `Service ${names.service} was not found in cluster ${names.cluster}${region ? ` in ${region}` : ''} (${reason}).`,
      {
        suggestion: 'Check --env and --region: the stack may not be deployed there.',
        context: { cluster: names.cluster, service: names.service },
      },
    );
  }
  return service;
}

function summarizeDeployment(deployment: Deployment, image: string | undefined): DeploymentSummary {
  const ref = deployment.taskDefinition
    ? parseTaskDefinitionRef(deployment.taskDefinition)
    : undefined;
  return {
    id: deployment.id ?? '(unknown)',
    status: deployment.status ?? 'UNKNOWN',
    rolloutState: deployment.rolloutState ?? null,
    rolloutStateReason: deployment.rolloutStateReason ?? null,
    taskDefinition: deployment.taskDefinition ?? '',
    revision: ref?.revision ?? null,
    image: image ?? null,
    imageTag: imageTagOf(image) ?? null,
    desired: deployment.desiredCount ?? 0,
    running: deployment.runningCount ?? 0,
    pending: deployment.pendingCount ?? 0,
    failedTasks: deployment.failedTasks ?? 0,
    createdAt: iso(deployment.createdAt),
    updatedAt: iso(deployment.updatedAt),
  };
}

/** Told about a lookup that failed but is not essential (status shows the rest). */
export type OnUnavailable = (what: string, error: unknown) => void;

/** Runs an optional lookup: without `onUnavailable` it is required, with it a failure is reported. */
export async function optionalLookup<T>(
  what: string,
  read: () => Promise<T>,
  fallback: T,
  onUnavailable: OnUnavailable | undefined,
): Promise<T> {
  if (!onUnavailable) return read();
  try {
    return await read();
  } catch (error) {
    onUnavailable(what, error);
    return fallback;
  }
}

/**
 * The service, its deployments (with images), target health and latest events, in one read.
 * DescribeServices is essential; with `onUnavailable`, images and target health are optional.
 */
export async function readServiceSnapshot(
  aws: AwsClients,
  names: ResourceNames,
  options: { events: number; images: boolean; onUnavailable?: OnUnavailable },
): Promise<ServiceSnapshot> {
  const service = await describeService(aws.ecs, names, aws.region);
  const deployments = service.deployments ?? [];
  const arns = deployments.flatMap((d) => (d.taskDefinition ? [d.taskDefinition] : []));
  const targetGroups = (service.loadBalancers ?? []).flatMap((lb) =>
    lb.targetGroupArn ? [lb.targetGroupArn] : [],
  );
  const [definitions, targets] = await Promise.all([
    options.images
      ? optionalLookup(
          'task definitions (image tags)',
          () => describeTaskDefinitions(aws.ecs, arns),
          new Map<string, TaskDefinition>(),
          options.onUnavailable,
        )
      : new Map<string, TaskDefinition>(),
    optionalLookup(
      'target health',
      () => readTargets(aws, targetGroups),
      [],
      options.onUnavailable,
    ),
  ]);
  return {
    cluster: names.cluster,
    service: names.service,
    serviceStatus: service.status ?? 'UNKNOWN',
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    pending: service.pendingCount ?? 0,
    taskDefinition: service.taskDefinition ?? '',
    deployments: deployments.map((d) =>
      summarizeDeployment(
        d,
        containerImage(
          d.taskDefinition ? definitions.get(d.taskDefinition) : undefined,
          names.container,
        ),
      ),
    ),
    targetGroups,
    targets,
    events: (service.events ?? [])
      .slice(0, options.events)
      .map((e) => ({ at: iso(e.createdAt), message: e.message ?? '' })),
    raw: service,
  };
}

async function readTargets(aws: AwsClients, targetGroups: string[]): Promise<TargetSummary[]> {
  const answers = await Promise.all(
    [...new Set(targetGroups)].map((arn) => aws.elb.describeTargetHealth({ TargetGroupArn: arn })),
  );
  return answers.flatMap((r) => (r.TargetHealthDescriptions ?? []).map(summarizeTarget));
}

function summarizeTarget(description: TargetHealthDescription): TargetSummary {
  return {
    id: description.Target?.Id ?? '(unknown)',
    port: description.Target?.Port ?? null,
    availabilityZone: description.Target?.AvailabilityZone ?? null,
    state: description.TargetHealth?.State ?? 'unknown',
    reason: description.TargetHealth?.Reason ?? null,
    description: description.TargetHealth?.Description ?? null,
  };
}

/** Tasks of the service with a desired status, described in batches of 100 (paginated list). */
export async function listServiceTasks(
  ecs: EcsApi,
  names: ResourceNames,
  desiredStatus: 'RUNNING' | 'STOPPED',
): Promise<Task[]> {
  const pages = await allPages(
    (nextToken) =>
      ecs.listTasks({
        cluster: names.cluster,
        serviceName: names.service,
        desiredStatus,
        nextToken,
      }),
    (page) => page.nextToken,
  );
  return describeTasks(
    ecs,
    names.cluster,
    pages.flatMap((page) => page.taskArns ?? []),
  );
}

export async function describeTasks(
  ecs: EcsApi,
  cluster: string,
  arns: readonly string[],
): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const result = await ecs.describeTasks({ cluster, tasks: arns.slice(i, i + 100) });
    tasks.push(...(result.tasks ?? []));
  }
  return tasks;
}

export function summarizeTask(task: Task): TaskSummary {
  const ref = task.taskDefinitionArn ? parseTaskDefinitionRef(task.taskDefinitionArn) : undefined;
  return {
    id: taskIdOf(task.taskArn ?? '(unknown)'),
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: task.healthStatus ?? 'UNKNOWN',
    availabilityZone: task.availabilityZone ?? null,
    revision: ref?.revision ?? null,
    startedAt: iso(task.startedAt),
  };
}

/** Targets that count: draining ones are on their way out after a deployment. */
export function liveTargets(targets: readonly TargetSummary[]): TargetSummary[] {
  return targets.filter((t) => t.state !== 'draining');
}

export function primaryDeployment(snapshot: ServiceSnapshot): DeploymentSummary | undefined {
  return snapshot.deployments.find((d) => d.status === 'PRIMARY') ?? snapshot.deployments[0];
}

/** ECS's wording when the deployment circuit breaker replaces a failed rollout. */
export function isCircuitBreakerRollback(reason: string | null | undefined): boolean {
  return Boolean(reason && /circuit breaker.*roll(ing|ed)? ?back/i.test(reason));
}

/** The private IP of an awsvpc task: what the target group registers it by. */
export function taskIp(task: Task): string | undefined {
  const details = (task.attachments ?? []).flatMap((a) => a.details ?? []);
  return details.find((d) => d.name === 'privateIPv4Address')?.value;
}

/**
 * The tasks a deployment started: ECS sets `startedBy` to the deployment id; a task without it
 * is matched by its task definition instead.
 */
export function tasksOfDeployment(tasks: readonly Task[], deployment: DeploymentSummary): Task[] {
  return tasks.filter((task) =>
    task.startedBy
      ? task.startedBy === deployment.id
      : task.taskDefinitionArn === deployment.taskDefinition,
  );
}

/** The live targets registered for these tasks (by private IP): a deployment's own targets. */
export function targetsOfTasks(
  targets: readonly TargetSummary[],
  tasks: readonly Task[],
): TargetSummary[] {
  const ips = new Set(tasks.map(taskIp).filter(Boolean));
  return liveTargets(targets).filter((t) => ips.has(t.id));
}
