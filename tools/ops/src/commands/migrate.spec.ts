import { migrationCommand } from '@prod-e/api-config';
import { resourceNames } from '@prod-e/deployment';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { DescribeServicesCommand, DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';

import { deployment, service, task, taskDefArn } from '../../test/fixtures';
import { awsError, ecsMock, logsMock, resetAwsMocks, taggingMock } from '../../test/mock-aws';
import { NOW, testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

const TASK_ID = 'feedfacefeedfacefeedfacefeedface';
const migrationTask = (overrides: Parameters<typeof task>[1] = {}) =>
  task(TASK_ID, {
    revision: 14,
    lastStatus: 'PROVISIONING',
    healthStatus: 'UNKNOWN',
    ...overrides,
  });
const stopped = (
  container: { exitCode?: number; reason?: string },
  extra: Parameters<typeof task>[1] = {},
) =>
  migrationTask({
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'prod-e-container', ...container }],
    ...extra,
  });

describe('migrate', () => {
  beforeEach(() => {
    resetAwsMocks();
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [service({ deployments: [deployment({ revision: 13 })] })] });
    ecsMock.on(RunTaskCommand).resolves({ tasks: [migrationTask()], failures: [] });
    logsMock
      .on(GetLogEventsCommand)
      .resolvesOnce({
        events: [
          {
            timestamp: NOW,
            message:
              '{"level":30,"time":1710403200000,"msg":"Migration AddRequestLog1700000000000 applied"}',
          },
        ],
        nextForwardToken: 'f/1',
      })
      .resolves({ events: [], nextForwardToken: 'f/1' });
  });

  it('runs the given revision with the service network and the migration command, streams its log, exits 0', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [migrationTask({ lastStatus: 'PENDING' })] })
      .resolvesOnce({ tasks: [migrationTask({ lastStatus: 'RUNNING' })] })
      .resolves({ tasks: [stopped({ exitCode: 0 })] });
    const runtime = testRuntime();

    const code = await run(
      ['migrate', '--env', 'prod', '--task-definition', taskDefArn(14)],
      runtime,
    );

    expect(code).toBe(ExitCode.OK);
    expect(ecsMock).toHaveReceivedCommandWith(RunTaskCommand, {
      cluster: 'prod-e-cluster',
      taskDefinition: taskDefArn(14),
      count: 1,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-aaa', 'subnet-bbb'],
          securityGroups: ['sg-service'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: {
        containerOverrides: [{ name: 'prod-e-container', command: migrationCommand() }],
      },
    });
    expect(logsMock).toHaveReceivedCommandWith(GetLogEventsCommand, {
      logGroupName: '/ecs/prod-e-task',
      logStreamName: `prod-e-container/prod-e-container/${TASK_ID}`,
      startFromHead: true,
    });
    expect(logsMock).toHaveReceivedNthSpecificCommandWith(2, GetLogEventsCommand, {
      nextToken: 'f/1',
    });
    expect(runtime.stdout).toEqual([
      '2024-03-14T08:00:00.000Z INFO  Migration AddRequestLog1700000000000 applied',
      `Migrations applied with ${taskDefArn(14)} (task ${TASK_ID}).`,
    ]);
    expect(runtime.progress).toEqual(
      expect.arrayContaining([
        `Migration task ${TASK_ID}: PENDING`,
        `Migration task ${TASK_ID}: RUNNING`,
      ]),
    );
  });

  it('reads the task log to its end after the task stops, across GetLogEvents pages', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped({ exitCode: 1 })] });
    const line = (n: number) => ({ timestamp: NOW + n, message: `line ${n}` });
    logsMock
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [line(1), line(2)], nextForwardToken: 'f/2' })
      // An empty page does not mean the end: only the token coming back unchanged does.
      .resolvesOnce({ events: [], nextForwardToken: 'f/3' })
      .resolvesOnce({ events: [line(3)], nextForwardToken: 'f/4' })
      .resolves({ events: [], nextForwardToken: 'f/4' });
    const runtime = testRuntime();

    const code = await run(['migrate', '--task-definition', 'prod-e-task:14'], runtime);

    expect(code).toBe(1);
    expect(runtime.stdout).toEqual([
      '2025-03-14T08:00:00.001Z line 1',
      '2025-03-14T08:00:00.002Z line 2',
      '2025-03-14T08:00:00.003Z line 3',
    ]);
    expect(runtime.stderr).toEqual(['Migrations failed: container exited with 1.']);
  });

  it('passes --dry-run through and defaults to the newest migration task revision', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped({ exitCode: 0 })] });
    const runtime = testRuntime();

    const code = await run(['migrate', '--dry-run'], runtime);

    expect(code).toBe(ExitCode.OK);
    // The family alone: ECS runs its newest ACTIVE revision (the service's role may not migrate).
    expect(ecsMock).toHaveReceivedCommandWith(RunTaskCommand, {
      taskDefinition: resourceNames('prod').migrationTaskFamily,
      overrides: {
        containerOverrides: [
          { name: 'prod-e-container', command: migrationCommand({ dryRun: true }) },
        ],
      },
    });
    // …and reports the revision ECS says it ran (the RunTask fixture's).
    expect(runtime.stdout.at(-1)).toBe(
      `Dry run finished with ${taskDefArn(14)} (task ${TASK_ID}).`,
    );
  });

  it("exits with the container's exit code when a migration fails", async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped({ exitCode: 2 })] });
    const runtime = testRuntime();

    const code = await run(['migrate', '--task-definition', 'prod-e-task:14'], runtime);

    expect(code).toBe(2);
    expect(runtime.stderr).toEqual(['Migrations failed: container exited with 2.']);
  });

  it('exits 1 with the reasons when RunTask reports failures', async () => {
    ecsMock.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [
        { arn: taskDefArn(14), reason: 'RESOURCE:ENI', detail: 'no ENI capacity in subnet-aaa' },
      ],
    });
    const runtime = testRuntime();

    const code = await run(['migrate', '--task-definition', taskDefArn(14)], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stderr).toEqual([
      'Migration task failed to start: RESOURCE:ENI: no ENI capacity in subnet-aaa',
    ]);
    expect(ecsMock).not.toHaveReceivedCommand(DescribeTasksCommand);
  });

  it('exits 1 when the task stops with TaskFailedToStart (e.g. a secret it cannot read)', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        stopped(
          {},
          {
            stopCode: 'TaskFailedToStart',
            stoppedReason:
              'ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException',
          },
        ),
      ],
    });
    const runtime = testRuntime();

    const code = await run(['migrate'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stderr).toEqual([
      `Migration task ${TASK_ID} failed to start: ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException`,
    ]);
    expect(runtime.progress.at(-1)).toBe(`✗ Migration task ${TASK_ID} failed to start.`);
  });

  it('waits through throttling and 5xx answers while the task runs', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [migrationTask({ lastStatus: 'RUNNING' })] })
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ServiceUnavailableException', 'unavailable', 503))
      .resolves({
        tasks: [
          migrationTask({
            lastStatus: 'STOPPED',
            containers: [{ name: 'prod-e-container', exitCode: 0 }],
          }),
        ],
      });
    const runtime = testRuntime();

    const code = await run(['migrate'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.progress.at(-1)).toBe(`✓ Migration task ${TASK_ID} finished.`);
  });

  it('gives up after --timeout (virtual time) and leaves the task running', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolves({ tasks: [migrationTask({ lastStatus: 'RUNNING' })] });
    const runtime = testRuntime();

    const code = await run(['migrate', '--timeout', '60', '--interval', '10'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.slept()).toBe(60_000);
    expect(runtime.stderr[0]).toBe(
      `Error: Migration task ${TASK_ID} was still RUNNING after 60 s; it keeps running.`,
    );
    expect(runtime.stderr[1]).toBe(
      `Hint: Follow it with: prod-e logs --env prod --task ${TASK_ID} --follow`,
    );
  });

  describe('on the first apply, before the service exists', () => {
    beforeEach(() => {
      ecsMock
        .on(DescribeServicesCommand)
        .resolves({ services: [], failures: [{ reason: 'MISSING' }] });
      const ec2 = (resource: string, name: string) => ({
        ResourceARN: `arn:aws:ec2:us-west-2:123456789012:${resource}`,
        Tags: [{ Key: 'Name', Value: name }],
      });
      taggingMock.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: [
          ec2('subnet/subnet-pub-a', 'public-subnet-a'),
          ec2('subnet/subnet-priv-b', 'private-subnet-b'),
          ec2('subnet/subnet-priv-a', 'private-subnet-a'),
          ec2('security-group/sg-alb', 'alb-security-group'),
          ec2('security-group/sg-ecs', 'ecs-security-group'),
        ],
      });
      ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped({ exitCode: 0 })] });
    });

    it('finds the private subnets and the service security group by their Name tags', async () => {
      const runtime = testRuntime();

      const code = await run(['migrate', '--task-definition', taskDefArn(1)], runtime);

      expect(code).toBe(ExitCode.OK);
      expect(taggingMock).toHaveReceivedCommandWith(GetResourcesCommand, {
        ResourceTypeFilters: ['ec2:subnet', 'ec2:security-group'],
      });
      expect(ecsMock).toHaveReceivedCommandWith(RunTaskCommand, {
        taskDefinition: taskDefArn(1),
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-priv-a', 'subnet-priv-b'],
            securityGroups: ['sg-ecs'],
            assignPublicIp: 'DISABLED',
          },
        },
      });
    });

    it('needs --task-definition, as there is no service revision to default to', async () => {
      const runtime = testRuntime();

      const code = await run(['migrate'], runtime);

      expect(code).toBe(ExitCode.NOT_FOUND);
      expect(runtime.stderr[0]).toBe(
        'Error: Service prod-e-service was not found in cluster prod-e-cluster in us-west-2 (MISSING).',
      );
      expect(ecsMock).not.toHaveReceivedCommand(RunTaskCommand);
    });
  });

  it('exits 64 for a --task-definition that is neither an ARN nor family:revision', async () => {
    const runtime = testRuntime();

    const code = await run(['migrate', '--task-definition', 'latest'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe(
      'Error: Invalid option: --task-definition must be a task definition ARN or family:revision.',
    );
    expect(ecsMock).not.toHaveReceivedAnyCommand();
  });
});
