import { healthySample } from '@prod-e/health-contract/testing';

import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import {
  ALB_DNS,
  at,
  deployment,
  mockHealthyService,
  service,
  target,
  task,
  taskArn,
} from '../../test/fixtures';
import { startHealthServer } from '../../test/health-server';
import { awsError, ecsMock, elbMock, logsMock, resetAwsMocks } from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { type VerifyResult } from '../lib/rollout';
import { run } from '../main';
import { runVerify } from './verify';

const rollingOut = service({
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

describe('verify', () => {
  let server: Awaited<ReturnType<typeof startHealthServer>>;

  beforeAll(async () => {
    server = await startHealthServer({ '/health': { status: 200, body: healthySample } });
  });
  afterAll(() => server.close());

  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
    server.replies['/health'] = { status: 200, body: healthySample };
    server.requests.length = 0;
  });

  it('waits for the rollout to complete, targets to turn healthy and /health to pass', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingOut] })
      .resolves({ services: [service({ deployments: [deployment({ revision: 13 })] })] });
    elbMock
      .on(DescribeTargetHealthCommand)
      .resolvesOnce({
        TargetHealthDescriptions: [
          target('10.0.10.11', 'initial'),
          target('10.0.11.12', 'healthy'),
        ],
      })
      .resolves({
        TargetHealthDescriptions: [
          target('10.0.10.11', 'healthy'),
          target('10.0.11.12', 'healthy'),
        ],
      });
    const runtime = testRuntime();

    const code = await runVerify({ url: server.url, interval: '5' }, runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout[0]).toMatch(
      /^✓ Deployment ecs-svc\/1300 is healthy: revision 13, 2\/2 tasks, 2 healthy targets, \/health ok in \d+ ms\.$/,
    );
    expect(runtime.progress).toContain(
      'rollout IN_PROGRESS · tasks 3/2 running · targets 1/2 healthy · 2 deployments',
    );
    expect(runtime.slept()).toBe(5000);
    expect(server.requests).toEqual(['/health']);
    expect(elbMock).not.toHaveReceivedCommand(DescribeLoadBalancersCommand);
  });

  it('waits until the PRIMARY deployment itself runs its desired count, not just the service', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [service({ deployments: [deployment({ revision: 13, runningCount: 1 })] })],
      })
      .resolves({ services: [service({ deployments: [deployment({ revision: 13 })] })] });
    const runtime = testRuntime();

    const code = await runVerify({ url: server.url, interval: '5' }, runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.slept()).toBe(5000);
    // /health is asked only once the deployment is whole.
    expect(server.requests).toEqual(['/health']);
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
  });

  it('reports a FAILED rollout with stopped reasons, "unable to" events and a missing log stream', async () => {
    const failed = service({
      runningCount: 2,
      deployments: [
        deployment({
          revision: 13,
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          runningCount: 0,
          failedTasks: 3,
        }),
        deployment({ status: 'ACTIVE', revision: 12 }),
      ],
      events: [
        {
          createdAt: at(2),
          message: '(service prod-e-service) is unable to consistently start tasks successfully.',
        },
        { createdAt: at(3), message: '(service prod-e-service) has started 1 tasks.' },
      ],
    });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingOut] })
      .resolves({ services: [failed] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [taskArn('dead1')] });
    ecsMock.on(DescribeTasksCommand, { tasks: [taskArn('dead1')] }).resolves({
      tasks: [
        task('dead1', {
          revision: 13,
          lastStatus: 'STOPPED',
          stoppedAt: at(1),
          stopCode: 'TaskFailedToStart',
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref',
          containers: [
            { name: 'prod-e-container', reason: 'CannotPullContainerError: ref not found' },
          ],
        }),
      ],
    });
    logsMock
      .on(GetLogEventsCommand)
      .rejects(awsError('ResourceNotFoundException', 'The specified log stream does not exist.'));
    const runtime = testRuntime();

    const code = await runVerify({}, runtime);

    expect(code).toBe(ExitCode.FAILED);
    const text = runtime.stdout.join('\n');
    expect(text).toContain(
      '✗ Deployment ecs-svc/1300 FAILED: ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(text).toContain('is unable to consistently start tasks successfully');
    expect(text).toContain(
      'TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried',
    );
    expect(text).toContain(
      'container prod-e-container: exit code none, CannotPullContainerError: ref not found',
    );
    expect(text).toContain('no log stream: the container never started');
    expect(elbMock).toHaveReceivedCommandWith(DescribeLoadBalancersCommand, {
      Names: ['prod-e-alb'],
    });
    expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, {
      logGroupName: '/ecs/prod-e-task',
      logStreamName: 'prod-e-container/prod-e-container/dead1',
      startFromHead: false,
    });
  });

  it('detects that the circuit breaker rolled the deployment back, and shows the crashed task log', async () => {
    const rolledBack = service({
      deployments: [
        deployment({
          id: 'ecs-svc/1201',
          revision: 12,
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason:
            'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1200.',
        }),
      ],
    });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingOut] })
      .resolves({ services: [rolledBack] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [taskArn('crash1')] });
    ecsMock.on(DescribeTasksCommand, { tasks: [taskArn('crash1')] }).resolves({
      tasks: [
        task('crash1', {
          revision: 13,
          lastStatus: 'STOPPED',
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'prod-e-container', exitCode: 1 }],
        }),
      ],
    });
    logsMock.on(GetLogEventsCommand).resolves({
      events: [
        {
          timestamp: 1,
          message: '{"level":60,"time":1710403200000,"msg":"Invalid API environment (1 problem)"}',
        },
      ],
    });
    const runtime = testRuntime();

    const code = await runVerify({ json: true }, runtime);

    expect(code).toBe(ExitCode.FAILED);
    const result = JSON.parse(runtime.stdout.join('\n')) as VerifyResult;
    expect(result.outcome).toBe('rolled_back');
    expect(result.message).toBe(
      'Deployment ecs-svc/1300 failed (no reason given); the circuit breaker rolled the service back to revision 12: ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1200.',
    );
    expect(result.url).toBe(`http://${ALB_DNS}`);
    expect(result.diagnostics?.stoppedTasks[0]).toMatchObject({
      id: 'crash1',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'prod-e-container', exitCode: 1, reason: null }],
      logTail: ['2024-03-14T08:00:00.000Z FATAL Invalid API environment (1 problem)'],
    });
  });

  it('fails at once when the newest deployment already is a circuit-breaker rollback', async () => {
    const reason = 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1200.';
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({ id: 'ecs-svc/1201', revision: 12, rolloutStateReason: reason }),
          ],
        }),
      ],
    });
    const runtime = testRuntime();

    const code = await runVerify({ url: server.url }, runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toBe(
      `✗ The newest deployment ecs-svc/1201 is a circuit-breaker rollback: ${reason}`,
    );
    expect(runtime.slept()).toBe(0);
    expect(server.requests).toEqual([]);
  });

  it('times out while targets stay unhealthy, without waiting in real time', async () => {
    elbMock.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        target('10.0.10.11', 'healthy'),
        target('10.0.11.12', 'unhealthy', {
          Reason: 'Target.Timeout',
          Description: 'Request timed out',
        }),
      ],
    });
    const runtime = testRuntime();

    const code = await runVerify({ url: server.url, timeout: '30', interval: '5' }, runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toBe(
      '✗ Timed out after 30 s waiting for deployment ecs-svc/1200: rollout COMPLETED · tasks 2/2 running · targets 1/2 healthy.',
    );
    expect(runtime.slept()).toBe(30_000);
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 7);
    expect(server.requests).toEqual([]);
  });

  it('fails when /health answers 200 with a body that breaks the contract', async () => {
    server.replies['/health'] = { status: 200, body: { status: 'ok', database: 'connected' } };
    const runtime = testRuntime();

    const code = await runVerify(
      { url: server.url, timeout: '10', interval: '5', json: true },
      runtime,
    );

    expect(code).toBe(ExitCode.FAILED);
    const result = JSON.parse(runtime.stdout.join('\n')) as VerifyResult;
    expect(result.outcome).toBe('timeout');
    expect(result.probe).toMatchObject({ status: 200, ok: false });
    expect(result.probe?.problems).toEqual([expect.stringMatching(/^contract: timestamp: /)]);
    expect(server.requests).toHaveLength(3);
  });

  it('exits with the access-denied code when the ALB cannot be described', async () => {
    elbMock
      .on(DescribeLoadBalancersCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'not authorized to perform elasticloadbalancing:DescribeLoadBalancers',
          403,
        ),
      );
    const runtime = testRuntime();

    const code = await run(['verify'], runtime);

    expect(code).toBe(ExitCode.ACCESS_DENIED);
    expect(runtime.stderr[0]).toBe(
      'Error: Access denied: this identity may not call elasticloadbalancing:DescribeLoadBalancers.',
    );
  });
});
