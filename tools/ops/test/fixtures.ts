import { resourceNames } from '@prod-e/deployment';

import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  type Deployment,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';

import { cloudwatchMock, ecsMock, elbMock, taggingMock } from './mock-aws';

export const names = resourceNames('prod');
export const ACCOUNT = '123456789012';
export const REGION = 'us-west-2';
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export const taskDefArn = (revision: number, family = names.taskFamily) =>
  arn('ecs', `task-definition/${family}:${revision}`);
export const taskArn = (id: string) => arn('ecs', `task/${names.cluster}/${id}`);
export const TARGET_GROUP_ARN = arn(
  'elasticloadbalancing',
  `targetgroup/${names.targetGroup}/0123456789abcdef`,
);
export const ALB_DNS = 'prod-e-alb-123.us-west-2.elb.amazonaws.com';
export const imageFor = (tag: string) =>
  `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${names.ecrRepository}:${tag}`;
export const at = (minutesAgo: number) =>
  new Date(Date.parse('2025-03-14T08:00:00Z') - minutesAgo * 60_000);

export function deployment(
  overrides: Partial<Deployment> & { revision?: number } = {},
): Deployment {
  const { revision = 12, ...rest } = overrides;
  return {
    id: `ecs-svc/${revision}00`,
    status: 'PRIMARY',
    taskDefinition: taskDefArn(revision),
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/1200 completed.',
    createdAt: at(30),
    updatedAt: at(25),
    ...rest,
  };
}

/** Why ECS marks a rollout the circuit breaker stopped. */
export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/** Revision 13's rollout, stopped by the circuit breaker: nothing running, three tasks failed. */
export function failedRollout(overrides: Partial<Deployment> = {}): Deployment {
  return deployment({
    revision: 13,
    rolloutState: 'FAILED',
    rolloutStateReason: CIRCUIT_BREAKER_REASON,
    runningCount: 0,
    failedTasks: 3,
    ...overrides,
  });
}

export function service(overrides: Partial<Service> = {}): Service {
  const deployments = overrides.deployments ?? [deployment()];
  return {
    serviceName: names.service,
    clusterArn: arn('ecs', `cluster/${names.cluster}`),
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition: deployments[0]?.taskDefinition,
    deployments,
    loadBalancers: [
      { targetGroupArn: TARGET_GROUP_ARN, containerName: names.container, containerPort: 3000 },
    ],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-aaa', 'subnet-bbb'],
        securityGroups: ['sg-service'],
        assignPublicIp: 'DISABLED',
      },
    },
    events: [
      {
        id: 'e2',
        createdAt: at(20),
        message: `(service ${names.service}) has reached a steady state.`,
      },
      { id: 'e1', createdAt: at(25), message: `(service ${names.service}) has started 2 tasks.` },
    ],
    ...overrides,
  };
}

/** The private IP a fixture task gets: task1 → 10.0.10.11, task2 → 10.0.11.12 (the targets). */
export const ipOf = (id: string) => {
  const n = Number(/\d+$/.exec(id)?.[0] ?? 1);
  return `10.0.${9 + n}.${10 + n}`;
};

export function task(id: string, overrides: Partial<Task> & { revision?: number } = {}): Task {
  const { revision = 12, ...rest } = overrides;
  return {
    taskArn: taskArn(id),
    taskDefinitionArn: taskDefArn(revision),
    // ECS sets startedBy to the deployment id; deployment() ids are `ecs-svc/<revision>00`.
    startedBy: `ecs-svc/${revision}00`,
    attachments: [
      {
        type: 'ElasticNetworkInterface',
        details: [{ name: 'privateIPv4Address', value: ipOf(id) }],
      },
    ],
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'HEALTHY',
    availabilityZone: 'us-west-2a',
    startedAt: at(24),
    containers: [{ name: names.container, lastStatus: 'RUNNING' }],
    ...rest,
  };
}

export function target(
  id: string,
  state: string,
  reason?: { Reason: string; Description: string },
): TargetHealthDescription {
  return {
    Target: {
      Id: id,
      Port: 3000,
      AvailabilityZone: id.endsWith('1') ? 'us-west-2a' : 'us-west-2b',
    },
    TargetHealth: {
      State: state as 'healthy',
      Reason: reason?.Reason as undefined,
      Description: reason?.Description,
    },
  };
}

/** Stubs ListTasks(RUNNING) and DescribeTasks with these tasks. */
export function mockRunningTasks(...tasks: Task[]): void {
  ecsMock
    .on(ListTasksCommand, { desiredStatus: 'RUNNING' })
    .resolves({ taskArns: tasks.map((t) => t.taskArn ?? '') });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks });
}

/** Stubs ListTasks(STOPPED) and DescribeTasks of exactly those tasks. */
export function mockStoppedTasks(...tasks: Task[]): void {
  const arns = tasks.map((t) => t.taskArn ?? '');
  ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: arns });
  ecsMock.on(DescribeTasksCommand, { tasks: arns }).resolves({ tasks });
}

/** Stubs a healthy two-task service on revision 12 (image tag `abc123`), with no alarms. */
export function mockHealthyService(): void {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const revision = Number(input.taskDefinition.split(':').pop());
    return {
      taskDefinition: {
        taskDefinitionArn: taskDefArn(revision),
        family: names.taskFamily,
        revision,
        containerDefinitions: [{ name: names.container, image: imageFor(`sha-${revision}`) }],
      },
    };
  });
  ecsMock
    .on(ListTasksCommand, { desiredStatus: 'RUNNING' })
    .resolves({ taskArns: [taskArn('task1'), taskArn('task2')] });
  ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
  ecsMock.on(DescribeTasksCommand).resolves({
    tasks: [task('task1'), task('task2', { availabilityZone: 'us-west-2b' })],
  });
  elbMock.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [target('10.0.10.11', 'healthy'), target('10.0.11.12', 'healthy')],
  });
  elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ DNSName: ALB_DNS }] });
  taggingMock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
  cloudwatchMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
}
