import { SERVICE_URL_OUTPUT } from '@prod-e/deployment';
import { healthySample, unhealthySample } from '@prod-e/health-contract/testing';

import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';

import {
  deployment,
  failedRollout,
  mockHealthyService,
  names,
  service,
  target,
} from '../../test/fixtures';
import {
  awsError,
  cloudwatchMock,
  ecsMock,
  elbMock,
  resetAwsMocks,
  taggingMock,
} from '../../test/mock-aws';
import { type HealthServer, startHealthServer } from '../../test/health-server';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';
import { runStatus, type StatusReport } from './status';

describe('status', () => {
  let server: HealthServer;

  beforeAll(async () => {
    server = await startHealthServer({ '/health': { status: 200, body: healthySample } });
  });
  afterAll(() => server.close());

  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
    server.replies['/health'] = { status: 200, body: healthySample };
  });

  describe('/health', () => {
    it('is probed, and a 503 makes the service degraded (exit 1) with the database state', async () => {
      server.replies['/health'] = { status: 503, body: unhealthySample };
      const runtime = testRuntime();

      const code = await run(['status', '--url', server.url], runtime);

      expect(code).toBe(ExitCode.FAILED);
      expect(runtime.stdout[0]).toBe(
        'prod-e-service in prod-e-cluster (prod, us-west-2): DEGRADED',
      );
      expect(runtime.stdout).toContain(
        `  ✗ GET ${server.url}/health: HTTP 503 (expected 200); status is "error" (database disconnected)`,
      );
      expect(runtime.stdout).toContainEqual(
        expect.stringMatching(
          new RegExp(`^  GET ${server.url}/health: 503 in \\d+ ms, database disconnected$`),
        ),
      );
    });
  });

  describe('without --url', () => {
    it('probes the applied stack’s service_url output (https in every prod TLS mode)', async () => {
      const runtime = testRuntime({ stackOutputs: { [SERVICE_URL_OUTPUT]: server.url } });

      const code = await runStatus({ json: true }, runtime);

      expect(code).toBe(ExitCode.OK);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.health).toMatchObject({ url: `${server.url}/health`, ok: true });
      expect(elbMock.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(0);
    });

    it('names the fix, without failing, when there is no output and the ALB is internal (CloudFront mode)', async () => {
      elbMock.on(DescribeLoadBalancersCommand).resolves({
        LoadBalancers: [{ DNSName: 'internal-prod-e-alb.elb.amazonaws.com', Scheme: 'internal' }],
      });
      const runtime = testRuntime();

      const code = await runStatus({ json: true }, runtime);

      expect(code).toBe(ExitCode.OK);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.health).toBeNull();
      expect(report.unavailable).toEqual([
        expect.stringMatching(
          /^service URL: Load balancer prod-e-alb is internal \(behind CloudFront\)/,
        ),
      ]);
    });
  });

  it('warns, without failing, when the URL only redirects (an HTTPS stack probed without --url)', async () => {
    server.replies['/health'] = {
      status: 301,
      body: '',
      headers: { location: 'https://api.example.com/health' },
    };
    const runtime = testRuntime();

    const code = await runStatus({ url: server.url }, runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout).toContain(
      "  ! /health not checked: HTTP 301 redirect to https://api.example.com/health, not followed: pass --url with the service's own URL",
    );
  });

  describe('when an optional lookup fails', () => {
    it.each([
      [
        'the Tagging API denies access',
        () =>
          taggingMock
            .on(GetResourcesCommand)
            .rejects(
              awsError('AccessDeniedException', 'not authorized to perform: tag:GetResources', 403),
            ),
        'could not read alarms: Access denied: this identity may not call tag:GetResources.',
      ],
      [
        'CloudWatch answers 5xx',
        () => {
          taggingMock.on(GetResourcesCommand).resolves({
            ResourceTagMappingList: [
              { ResourceARN: 'arn:aws:cloudwatch:us-west-2:123456789012:alarm:prod-e-5xx' },
            ],
          });
          cloudwatchMock
            .on(DescribeAlarmsCommand)
            .rejects(awsError('InternalFailure', 'internal error', 500));
        },
        'could not read alarms: cloudwatch:DescribeAlarms failed (HTTP 500): InternalFailure: internal error',
      ],
      [
        'target health is denied',
        () => elbMock.on(DescribeTargetHealthCommand).rejects(awsError('AccessDenied', 'no', 403)),
        'could not read target health: Access denied: this identity may not call elasticloadbalancing:DescribeTargetHealth.',
      ],
    ])('still shows the ECS state when %s, with a warning', async (_case, arrange, warning) => {
      arrange();
      const runtime = testRuntime();

      const code = await runStatus({ url: server.url }, runtime);

      expect(code).toBe(ExitCode.OK);
      expect(runtime.stdout[0]).toBe('prod-e-service in prod-e-cluster (prod, us-west-2): HEALTHY');
      expect(runtime.stdout).toContain(`  ! ${warning}`);
      expect(runtime.stdout).toContain('Deployments');
    });
  });

  describe('when the service is healthy', () => {
    it('exits 0 and prints a JSON report with deployments, tasks, targets, events and alarms', async () => {
      const runtime = testRuntime();

      const code = await runStatus({ json: true, url: server.url }, runtime);

      expect(code).toBe(ExitCode.OK);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report).toMatchObject({
        schemaVersion: 1,
        environment: 'prod',
        region: 'us-west-2',
        verdict: 'healthy',
        problems: [],
        cluster: names.cluster,
        service: { name: names.service, desired: 2, running: 2 },
      });
      expect(report.deployments).toEqual([
        expect.objectContaining({
          status: 'PRIMARY',
          rolloutState: 'COMPLETED',
          revision: 12,
          imageTag: 'sha-12',
        }),
      ]);
      expect(report.tasks.map((t) => [t.id, t.healthStatus, t.availabilityZone])).toEqual([
        ['task1', 'HEALTHY', 'us-west-2a'],
        ['task2', 'HEALTHY', 'us-west-2b'],
      ]);
      expect(report.targets.map((t) => t.state)).toEqual(['healthy', 'healthy']);
      expect(report.events).toHaveLength(2);
      expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
        cluster: 'prod-e-cluster',
        services: ['prod-e-service'],
      });
      expect(taggingMock).toHaveReceivedCommandWith(GetResourcesCommand, {
        ResourceTypeFilters: ['cloudwatch:alarm'],
        TagFilters: [
          { Key: 'Project', Values: ['prod-e'] },
          { Key: 'Environment', Values: ['prod'] },
        ],
      });
    });

    it('prints readable tables by default', async () => {
      const runtime = testRuntime();

      await runStatus({ url: server.url }, runtime);

      const text = runtime.stdout.join('\n');
      expect(text).toContain('prod-e-service in prod-e-cluster (prod, us-west-2): HEALTHY');
      expect(text).toMatch(/PRIMARY\s+COMPLETED\s+12\s+sha-12/);
      expect(text).toMatch(/task1\s+RUNNING\s+HEALTHY\s+us-west-2a/);
      expect(text).toContain('has reached a steady state');
    });
  });

  describe('when the service is degraded', () => {
    it('exits 1 naming unhealthy targets with their reasons', async () => {
      elbMock.on(DescribeTargetHealthCommand).resolves({
        TargetHealthDescriptions: [
          target('10.0.10.11', 'healthy'),
          target('10.0.11.12', 'unhealthy', {
            Reason: 'Target.ResponseCodeMismatch',
            Description: 'Health checks failed with these codes: [503]',
          }),
        ],
      });
      const runtime = testRuntime();

      const code = await runStatus({ json: true, url: server.url }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.verdict).toBe('degraded');
      expect(report.problems).toContain(
        'target 10.0.11.12:3000 is unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [503])',
      );
    });

    it('exits 1 on a FAILED rollout, a short service and an alarm in ALARM', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({
        services: [
          service({
            runningCount: 1,
            deployments: [
              failedRollout(),
              deployment({ status: 'ACTIVE', revision: 12, runningCount: 1 }),
            ],
          }),
        ],
      });
      taggingMock.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: [
          { ResourceARN: 'arn:aws:cloudwatch:us-west-2:123456789012:alarm:prod-e-5xx' },
        ],
      });
      cloudwatchMock.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [
          { AlarmName: 'prod-e-5xx', StateValue: 'ALARM', StateReason: 'Threshold crossed' },
        ],
      });
      const runtime = testRuntime();

      const code = await runStatus({ json: true, url: server.url }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.problems).toEqual([
        '1/2 tasks running',
        'deployment ecs-svc/1300 rollout FAILED: ECS deployment circuit breaker: tasks failed to start.',
        'alarm prod-e-5xx is in ALARM: Threshold crossed',
      ]);
      expect(report.deployments.map((d) => [d.status, d.revision, d.failedTasks])).toEqual([
        ['PRIMARY', 13, 3],
        ['ACTIVE', 12, 0],
      ]);
      expect(cloudwatchMock).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
        AlarmNames: ['prod-e-5xx'],
      });
    });

    it('exits 1 when the PRIMARY deployment is short, though old tasks fill the service count', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({
        services: [
          service({
            runningCount: 2,
            deployments: [
              deployment({ revision: 13, rolloutState: 'COMPLETED', runningCount: 1 }),
              deployment({ status: 'ACTIVE', revision: 12, runningCount: 1 }),
            ],
          }),
        ],
      });
      const runtime = testRuntime();

      const code = await runStatus({ json: true, url: server.url }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.problems).toEqual(['1/2 tasks of the PRIMARY deployment ecs-svc/1300 running']);
    });

    it('reads every page of DescribeAlarms for the tagged alarms', async () => {
      taggingMock.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: ['prod-e-5xx', 'prod-e-cpu'].map((name) => ({
          ResourceARN: `arn:aws:cloudwatch:us-west-2:123456789012:alarm:${name}`,
        })),
      });
      cloudwatchMock
        .on(DescribeAlarmsCommand)
        .resolvesOnce({
          MetricAlarms: [{ AlarmName: 'prod-e-5xx', StateValue: 'OK' }],
          NextToken: 'alarms-2',
        })
        .resolves({ MetricAlarms: [{ AlarmName: 'prod-e-cpu', StateValue: 'ALARM' }] });
      const runtime = testRuntime();

      const code = await runStatus({ json: true, url: server.url }, runtime);

      expect(code).toBe(ExitCode.FAILED);
      const report = JSON.parse(runtime.stdout.join('\n')) as StatusReport;
      expect(report.alarms.map((a) => `${a.name}:${a.state}`)).toEqual([
        'prod-e-5xx:OK',
        'prod-e-cpu:ALARM',
      ]);
      expect(cloudwatchMock).toHaveReceivedNthSpecificCommandWith(2, DescribeAlarmsCommand, {
        AlarmNames: ['prod-e-5xx', 'prod-e-cpu'],
        NextToken: 'alarms-2',
      });
    });
  });

  describe('when it cannot tell', () => {
    it('exits with the access-denied code and names the action, in one sentence', async () => {
      ecsMock
        .on(DescribeServicesCommand)
        .rejects(
          awsError(
            'AccessDeniedException',
            'User is not authorized to perform: ecs:DescribeServices',
            403,
          ),
        );
      const runtime = testRuntime();

      const code = await run(['status'], runtime);

      expect(code).toBe(ExitCode.ACCESS_DENIED);
      expect(runtime.stderr[0]).toBe(
        'Error: Access denied: this identity may not call ecs:DescribeServices.',
      );
      expect(runtime.stdout).toEqual([]);
    });

    it('exits with the not-found code when the service does not exist', async () => {
      ecsMock.on(DescribeServicesCommand).resolves({
        services: [],
        failures: [{ arn: 'arn:aws:ecs:...:service/x', reason: 'MISSING' }],
      });
      const runtime = testRuntime();

      const code = await run(['status', '--env', 'staging'], runtime);

      expect(code).toBe(ExitCode.NOT_FOUND);
      expect(runtime.stderr[0]).toBe(
        'Error: Service prod-e-staging-service was not found in cluster prod-e-staging-cluster in us-west-2 (MISSING).',
      );
    });

    it('exits 64 naming every bad option', async () => {
      const runtime = testRuntime();

      const code = await run(['status', '--env', 'Prod!', '--events', 'many'], runtime);

      expect(code).toBe(ExitCode.USAGE);
      expect(runtime.stderr[0]).toMatch(/^Error: Invalid options: --env must be .*; --events /);
      expect(ecsMock).not.toHaveReceivedAnyCommand();
    });
  });
});
