import { DescribeServicesCommand, type Service, type Task } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

import {
  at,
  deployment,
  failedRollout,
  ipOf,
  mockRunningTasks,
  mockStoppedTasks,
  service,
  target,
  task,
} from './fixtures';
import { ecsMock, elbMock } from './mock-aws';

/** Rollout scenarios shared by the verify tests and the runbook's examples. */

export const ROLLBACK_REASON =
  'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1200.';

/** Revision 13 rolling out: one of its two tasks runs, next to revision 12's two. */
export const rollingOut = service({
  runningCount: 3,
  deployments: [
    deployment({
      revision: 13,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment ecs-svc/1300 in progress.',
      runningCount: 1,
    }),
    deployment({ status: 'ACTIVE', revision: 12 }),
  ],
});
export const completed13 = service({ deployments: [deployment({ revision: 13 })] });
export const new13 = [task('task3', { revision: 13 }), task('task4', { revision: 13 })];
export const old12 = [task('task1'), task('task2')];
export const targets = (
  ...pairs: [string, string, { Reason: string; Description: string }?][]
) => ({
  TargetHealthDescriptions: pairs.map(([id, state, reason]) => target(id, state, reason)),
});

export const stoppedTask = (
  id: string,
  revision: number,
  minutesAgo: number,
  extra: Partial<Task>,
) =>
  task(id, {
    revision,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    startedAt: at(minutesAgo + 1),
    stoppedAt: at(minutesAgo),
    ...extra,
  });
export const pullFailure = (id: string, minutesAgo: number) =>
  stoppedTask(id, 13, minutesAgo, {
    stopCode: 'TaskFailedToStart',
    stoppedReason:
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-west-2.amazonaws.com/prod-e-backend:sha-13: not found',
    containers: [{ name: 'prod-e-container', reason: 'CannotPullContainerError: ref not found' }],
  });
export const scaleIn = (id: string, minutesAgo: number) =>
  stoppedTask(id, 12, minutesAgo, {
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1200)',
    containers: [{ name: 'prod-e-container', exitCode: 0 }],
  });
export const crashed = (id: string, exitCode: number, reason?: string) =>
  stoppedTask(id, 13, 1, {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'prod-e-container', exitCode, reason }],
  });

/** Revision 12 again, as the circuit breaker's rollback deploys it. */
export const rollingBack = service({
  deployments: [
    deployment({
      id: 'ecs-svc/1201',
      revision: 12,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: ROLLBACK_REASON,
    }),
  ],
});

/** ELB's reason for a target whose `/health` answered 503. */
export const HEALTH_CHECK_MISMATCH = {
  Reason: 'Target.ResponseCodeMismatch',
  Description: 'Health checks failed with these codes: [503]',
};

/**
 * Revision 13's two tasks run but fail their target health checks, beside revision 12's two
 * healthy ones: a rollout that never completes.
 */
export function mockFailingHealthChecks(): void {
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      service({
        runningCount: 4,
        deployments: [
          deployment({ revision: 13, rolloutState: 'IN_PROGRESS', runningCount: 2 }),
          deployment({ status: 'ACTIVE', revision: 12 }),
        ],
      }),
    ],
  });
  mockRunningTasks(...old12, ...new13);
  elbMock
    .on(DescribeTargetHealthCommand)
    .resolves(
      targets(
        ['10.0.10.11', 'healthy'],
        ['10.0.11.12', 'healthy'],
        [ipOf('task3'), 'unhealthy', HEALTH_CHECK_MISMATCH],
        [ipOf('task4'), 'unhealthy', HEALTH_CHECK_MISMATCH],
      ),
    );
  mockStoppedTasks();
}

/**
 * DescribeServices answers `first` in turn (a service, or an error it throws), then revision 13
 * has COMPLETED, with its two tasks running and healthy behind the load balancer.
 */
export function mockRolloutCompleting(...first: (Service | Error)[]): void {
  const services = ecsMock.on(DescribeServicesCommand);
  for (const answer of first) {
    if (answer instanceof Error) services.rejectsOnce(answer);
    else services.resolvesOnce({ services: [answer] });
  }
  services.resolves({ services: [completed13] });
  mockRunningTasks(...new13);
  elbMock
    .on(DescribeTargetHealthCommand)
    .resolves(targets([ipOf('task3'), 'healthy'], [ipOf('task4'), 'healthy']));
}

/** Revision 13 starts rolling out, then the service is `outcome`, with `stopped` as its stopped tasks. */
export function mockRolloutEnding(outcome: Service, ...stopped: Task[]): void {
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [rollingOut] })
    .resolves({ services: [outcome] });
  mockStoppedTasks(...stopped);
}

/** Revision 13's tasks failed to start and its deployment FAILED; `events` are the service's. */
export const failedToStart = (events: { createdAt: Date; message: string }[]) =>
  service({
    deployments: [
      failedRollout({ createdAt: at(10) }),
      deployment({ status: 'ACTIVE', revision: 12 }),
    ],
    events,
  });
