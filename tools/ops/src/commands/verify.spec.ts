import { SERVICE_URL_OUTPUT } from '@prod-e/deployment';
import { healthySample, unhealthySample } from '@prod-e/health-contract/testing';

import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import {
  ALB_DNS,
  at,
  deployment,
  ipOf,
  mockHealthyService,
  mockRunningTasks,
  mockStoppedTasks,
  service,
} from '../../test/fixtures';
import { type HealthServer, startHealthServer, useHealthServer } from '../../test/health-server';
import { awsError, ecsMock, elbMock, logsMock, resetAwsMocks } from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import {
  completed13,
  crashed,
  failedToStart,
  mockFailingHealthChecks,
  mockRolloutCompleting,
  mockRolloutEnding,
  new13,
  old12,
  pullFailure,
  ROLLBACK_REASON,
  rollingBack,
  rollingOut,
  scaleIn,
  targets,
} from '../../test/scenarios';
import { createTestCa, type TestCa } from '../../test/test-ca';
import { ExitCode } from '../lib/errors';
import { type VerifyResult } from '../lib/rollout';
import { run } from '../main';
import { runVerify } from './verify';

describe('verify', () => {
  const server = useHealthServer(healthySample);

  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
  });

  describe('when the rollout succeeds', () => {
    it("waits for the deployment's own tasks and targets, then /health, counting per deployment", async () => {
      ecsMock
        .on(DescribeServicesCommand)
        .resolvesOnce({ services: [rollingOut] })
        .resolves({ services: [completed13] });
      mockRunningTasks(...old12, new13[0]);
      elbMock
        .on(DescribeTargetHealthCommand)
        .resolvesOnce(
          targets(['10.0.10.11', 'healthy'], ['10.0.11.12', 'healthy'], [ipOf('task3'), 'initial']),
        )
        .resolves(targets([ipOf('task3'), 'healthy'], [ipOf('task4'), 'healthy']));
      const runtime = testRuntime({
        onSleep: () => mockRunningTasks(...new13),
      });

      const code = await runVerify({ url: server.url, interval: '5' }, runtime);

      expect(code).toBe(ExitCode.OK);
      expect(runtime.stdout[0]).toMatch(
        /^✓ Deployment ecs-svc\/1300 is healthy: revision 13, 2\/2 tasks, 2 healthy targets, \/health ok in \d+ ms \(database connected\)\.$/,
      );
      // The old revision's two healthy targets and tasks are not counted as the new one's.
      expect(runtime.progress).toContain(
        'rollout IN_PROGRESS · tasks 1/2 running · targets 0/1 healthy · 2 deployments',
      );
      expect(runtime.slept()).toBe(5000);
      expect(server.requests).toEqual(['/health']);
      expect(elbMock).not.toHaveReceivedCommand(DescribeLoadBalancersCommand);
    });

    it('probes the applied stack’s service_url output when --url is not given', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({ services: [completed13] });
      mockRunningTasks(...new13);
      elbMock
        .on(DescribeTargetHealthCommand)
        .resolves(targets([ipOf('task3'), 'healthy'], [ipOf('task4'), 'healthy']));
      const runtime = testRuntime({ stackOutputs: { [SERVICE_URL_OUTPUT]: server.url } });

      const code = await runVerify({ json: true }, runtime);

      expect(code).toBe(ExitCode.OK);
      expect(JSON.parse(runtime.stdout.join('\n')).url).toBe(server.url);
      expect(server.requests).toEqual(['/health']);
      expect(elbMock).not.toHaveReceivedCommand(DescribeLoadBalancersCommand);
    });

    it('rejects --interval 0, which would poll AWS without pause', async () => {
      const runtime = testRuntime();

      const code = await run(['verify', '--interval', '0'], runtime);

      expect(code).toBe(ExitCode.USAGE);
      expect(runtime.stderr[0]).toMatch(/^Error: Invalid option: --interval /);
    });
  });

  describe('over https', () => {
    let ca: TestCa;
    let https: HealthServer;
    let wrongName: HealthServer;

    beforeAll(async () => {
      ca = createTestCa();
      const replies = { '/health': { status: 200, body: healthySample } };
      https = await startHealthServer(replies, { ...ca.issue(['localhost']), host: 'localhost' });
      wrongName = await startHealthServer(replies, {
        ...ca.issue(['prod-e-alb-123.us-west-2.elb.amazonaws.com']),
        host: 'localhost',
      });
    });
    afterAll(async () => {
      await Promise.all([https.close(), wrongName.close()]);
      ca.remove();
    });

    it('verifies an https --url with certificate verification against --ca', async () => {
      const runtime = testRuntime();

      const code = await run(['verify', '--url', https.url, '--ca', ca.caFile], runtime);

      expect(code).toBe(ExitCode.OK);
      expect(https.requests).toEqual(['/health']);
    });

    it('fails at once, naming the redirect, when the URL redirects to https', async () => {
      server.replies['/health'] = {
        status: 301,
        body: '',
        headers: { location: `https://${ALB_DNS}:443/health` },
      };
      const runtime = testRuntime();

      const code = await run(['verify', '--url', server.url], runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout[0]).toBe(
        `✗ GET ${server.url}/health cannot succeed: HTTP 301 redirect to https://${ALB_DNS}/health, not followed: pass --url with the service's own URL.`,
      );
      expect(runtime.slept()).toBe(0);
    });

    it('fails at once when the certificate does not match the host name', async () => {
      const runtime = testRuntime();

      const code = await run(
        ['verify', '--url', wrongName.url, '--ca', ca.caFile, '--json'],
        runtime,
      );

      expect(code).toBe(ExitCode.FAILED);
      const result = JSON.parse(runtime.stdout.join('\n')) as VerifyResult;
      expect(result.outcome).toBe('url_rejected');
      expect(result.message).toContain('TLS certificate rejected (ERR_TLS_CERT_ALTNAME_INVALID');
      expect(runtime.slept()).toBe(0);
    });
  });

  describe('diagnostics of a failed rollout', () => {
    it('shows the failing deployment’s pull failures grouped with a count, not the scale-in tasks', async () => {
      const failed = failedToStart([
        {
          createdAt: at(2),
          message: '(service prod-e-service) is unable to consistently start tasks successfully.',
        },
        { createdAt: at(3), message: '(service prod-e-service) has started 1 tasks.' },
      ]);
      // Two newer scale-in stops of the old deployment, and one from long before this deploy.
      mockRolloutEnding(
        failed,
        scaleIn('task5', 0),
        scaleIn('task6', 0),
        pullFailure('task7', 2),
        pullFailure('task8', 4),
        pullFailure('task9', 6),
        scaleIn('task10', 29),
      );
      logsMock
        .on(GetLogEventsCommand)
        .rejects(awsError('ResourceNotFoundException', 'The specified log stream does not exist.'));
      const runtime = testRuntime();

      const code = await runVerify({}, runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout).toEqual([
        '✗ Deployment ecs-svc/1300 FAILED: ECS deployment circuit breaker: tasks failed to start.',
        'Stopped tasks of deployment ecs-svc/1300:',
        '  3× stopped (revision 13, last 2025-03-14T07:58:00.000Z; task7, task8, task9):',
        '    TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-west-2.amazonaws.com/prod-e-backend:sha-13: not found',
        '    container prod-e-container: exit code none, CannotPullContainerError: ref not found',
        '    no log stream: the container never started',
        '  (2 task(s) of other deployments stopped meanwhile, not shown)',
        'Latest service events:',
        '  2025-03-14T07:58:00.000Z (service prod-e-service) is unable to consistently start tasks successfully.',
        '  2025-03-14T07:57:00.000Z (service prod-e-service) has started 1 tasks.',
        'Next: prod-e preflight --env prod --task-definition prod-e-task:13    (Image pull failure)',
      ]);
      expect(logsMock).toHaveReceivedCommandTimes(GetLogEventsCommand, 1);
      expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, {
        logGroupName: '/ecs/prod-e-task',
        logStreamName: 'prod-e-container/prod-e-container/task7',
        startFromHead: false,
      });
    });

    it.each([
      [1, undefined, 'Container crash'],
      [137, 'OutOfMemoryError: Container killed due to memory usage', 'Out of memory'],
    ])(
      'after a crash with exit %i, shows the log tail and names the task for prod-e logs',
      async (exitCode, reason, symptom) => {
        mockRolloutEnding(
          rollingBack,
          crashed('task7', exitCode, reason),
          crashed('task8', exitCode, reason),
        );
        logsMock.on(GetLogEventsCommand).resolves({
          events: [
            {
              timestamp: 1,
              message:
                '{"level":60,"time":1710403200000,"msg":"Invalid API environment (1 problem)"}',
            },
          ],
        });
        const runtime = testRuntime();

        const code = await runVerify({ json: true }, runtime);

        expect(code).toBe(ExitCode.FAILED);
        const result = JSON.parse(runtime.stdout.join('\n')) as VerifyResult;
        expect(result.outcome).toBe('rolled_back');
        expect(result.url).toBe(`http://${ALB_DNS}`);
        expect(result.diagnostics?.stoppedGroups).toEqual([
          expect.objectContaining({
            count: 2,
            stopCode: 'EssentialContainerExited',
            containers: [{ name: 'prod-e-container', exitCode, reason: reason ?? null }],
            logTail: ['2024-03-14T08:00:00.000Z FATAL Invalid API environment (1 problem)'],
          }),
        ]);
        expect(result.diagnostics?.next).toEqual({
          symptom,
          command: 'prod-e logs --env prod --task task7 --since 4m',
        });
      },
    );

    it("times out on failing health checks of the deployment's own targets, with ELB's reasons", async () => {
      mockFailingHealthChecks();
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, timeout: '20', interval: '5' }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout).toEqual([
        '✗ Timed out after 20 s waiting for deployment ecs-svc/1300: rollout IN_PROGRESS · tasks 2/2 running · targets 0/2 healthy · unhealthy: Target.ResponseCodeMismatch · 2 deployments.',
        'No stopped tasks of deployment ecs-svc/1300.',
        'Targets not healthy:',
        `  ${ipOf('task3')}:3000 unhealthy: Target.ResponseCodeMismatch: Health checks failed with these codes: [503]`,
        `  ${ipOf('task4')}:3000 unhealthy: Target.ResponseCodeMismatch: Health checks failed with these codes: [503]`,
        'Latest service events:',
        '  2025-03-14T07:40:00.000Z (service prod-e-service) has reached a steady state.',
        '  2025-03-14T07:35:00.000Z (service prod-e-service) has started 2 tasks.',
        "Next: prod-e logs --env prod --filter '{ $.level >= 40 }' --since 30m    (Health checks fail with an answer)",
      ]);
    });

    it('times out while /health answers 503, showing the database state and body', async () => {
      server.replies['/health'] = { status: 503, body: unhealthySample };
      mockStoppedTasks();
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, timeout: '10', interval: '5' }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout[0]).toBe(
        '✗ Timed out after 10 s waiting for deployment ecs-svc/1200: rollout COMPLETED · tasks 2/2 running · targets 2/2 healthy · /health HTTP 503 (expected 200), status is "error".',
      );
      expect(runtime.stdout).toContain(
        `GET ${server.url}/health: 503 ${JSON.stringify(unhealthySample)}`,
      );
      expect(runtime.stdout.at(-1)).toBe(
        "Next: prod-e logs --env prod --filter '{ $.level >= 40 }' --since 30m    (Database unreachable)",
      );
      expect(server.requests).toHaveLength(3);
    });
  });

  describe('waits through AWS hiccups', () => {
    it('backs off on throttling, 5xx and resets and still verifies the rollout', async () => {
      mockRolloutCompleting(
        rollingOut,
        awsError('ThrottlingException', 'Rate exceeded'),
        awsError('ThrottlingException', 'Rate exceeded'),
        awsError('InternalServerError', 'We encountered an internal error', 500),
        Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
      );
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, interval: '5' }, runtime);

      expect(code).toBe(ExitCode.OK);
      // 5 s after the first poll, then backoff 5 (≥ interval), 5, 5, 8 s.
      expect(runtime.slept()).toBe(5000 + 5000 + 5000 + 5000 + 8000);
      expect(runtime.progress).toContain(
        'ecs:DescribeServices failed: the connection to AWS in us-west-2 was lost (ECONNRESET). Retrying in 8 s...',
      );
    });

    it('ends the wait at once on a permanent error', async () => {
      ecsMock
        .on(DescribeServicesCommand)
        .resolvesOnce({ services: [rollingOut] })
        .rejects(
          awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServices'),
        );
      const runtime = testRuntime();

      const code = await run(['verify', '--url', server.url], runtime);

      expect(code).toBe(ExitCode.ACCESS_DENIED);
      expect(runtime.slept()).toBe(5000);
    });

    it('reports the timeout with the last error when throttling lasts until the deadline', async () => {
      ecsMock
        .on(DescribeServicesCommand)
        .resolvesOnce({ services: [rollingOut] })
        .rejects(awsError('ThrottlingException', 'Rate exceeded'));
      mockStoppedTasks();
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, timeout: '60', interval: '5' }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout[0]).toMatch(
        /^✗ Timed out after 60 s waiting for deployment ecs-svc\/1300: .* \(last error: ecs:DescribeServices failed: ThrottlingException: Rate exceeded\)\.$/,
      );
      expect(runtime.slept()).toBe(60_000);
    });
  });

  describe('--revision and --task-definition', () => {
    const rolledBackTo12 = service({
      deployments: [
        deployment({ id: 'ecs-svc/1201', revision: 12, rolloutStateReason: ROLLBACK_REASON }),
      ],
    });

    it('fails when the expected revision was rolled back, even though the service is healthy', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({ services: [rolledBackTo12] });
      mockStoppedTasks();
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, revision: '13' }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout[0]).toBe(
        `✗ No deployment of revision 13 failed (no reason given); the circuit breaker rolled the service back to revision 12: ${ROLLBACK_REASON}`,
      );
    });

    it('succeeds for the expected revision despite a stale rollback reason', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({ services: [rolledBackTo12] });
      mockRunningTasks(...old12.map((t) => ({ ...t, startedBy: 'ecs-svc/1201' })));
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, taskDefinition: 'prod-e-task:12' }, runtime);

      expect(code).toBe(ExitCode.OK);
      expect(runtime.stdout[0]).toMatch(/^✓ Deployment ecs-svc\/1201 is healthy: revision 12,/);
    });

    it('waits for the expected revision to become PRIMARY and COMPLETED', async () => {
      mockRolloutCompleting(service(), rollingOut);
      const runtime = testRuntime();

      const code = await runVerify({ url: server.url, revision: '13' }, runtime);

      expect(code).toBe(ExitCode.OK);
      expect(runtime.progress).toContain(
        'waiting for a deployment of revision 13 (PRIMARY runs revision 12)',
      );
      expect(runtime.slept()).toBe(10_000);
    });

    it('rejects --revision and --task-definition that disagree', async () => {
      const runtime = testRuntime();

      const code = await run(
        ['verify', '--revision', '13', '--task-definition', 'prod-e-task:12'],
        runtime,
      );

      expect(code).toBe(ExitCode.USAGE);
    });
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
