import { healthySample } from '@prod-e/health-contract/testing';

import {
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';

import { deployment, mockHealthyService, service, taskDefArn } from '../../test/fixtures';
import { useHealthServer } from '../../test/health-server';
import { awsError, ecsMock, resetAwsMocks } from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

describe('rollback', () => {
  const server = useHealthServer(healthySample);

  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
    const onThirteen = service({ deployments: [deployment({ revision: 13 })] });
    const rolledBack = service({ deployments: [deployment({ revision: 12 })] });
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [onThirteen] })
      .resolves({ services: [rolledBack] });
    ecsMock
      .on(ListTaskDefinitionsCommand, { status: 'ACTIVE' })
      .resolvesOnce({ taskDefinitionArns: [taskDefArn(13), taskDefArn(12)], nextToken: 'more' })
      .resolves({ taskDefinitionArns: [taskDefArn(11), taskDefArn(3, 'prod-e-task-old')] });
    ecsMock.on(UpdateServiceCommand).resolves({ service: rolledBack });
  });

  it('moves the service to the previous ACTIVE revision, shows the change, then verifies', async () => {
    const runtime = testRuntime();

    const code = await run(['rollback', '--yes', '--url', server.url], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout.slice(0, 4)).toEqual([
      'Rollback of prod-e-service (prod, us-west-2):',
      '  task definition  prod-e-task:13 → prod-e-task:12',
      '  image tag        sha-13 → sha-12',
      '  Database migrations are not reverted: the older image must work with the newer schema.',
    ]);
    expect(ecsMock).toHaveReceivedCommandWith(ListTaskDefinitionsCommand, {
      familyPrefix: 'prod-e-task',
      status: 'ACTIVE',
      sort: 'DESC',
    });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'prod-e-cluster',
      service: 'prod-e-service',
      taskDefinition: taskDefArn(12),
    });
    expect(runtime.stdout.at(-1)).toMatch(/^✓ Deployment ecs-svc\/1200 is healthy: revision 12/);
  });

  it('goes to the revision given with --to, found on a later page', async () => {
    const runtime = testRuntime();

    const code = await run(['rollback', '--to', '11', '--yes', '--url', server.url], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      taskDefinition: taskDefArn(11),
    });
  });

  it('refuses a --to revision that is not ACTIVE, listing the ones that are', async () => {
    const runtime = testRuntime();

    const code = await run(['rollback', '--to', '5', '--yes'], runtime);

    expect(code).toBe(ExitCode.NOT_FOUND);
    expect(runtime.stderr).toEqual([
      'Error: Revision prod-e-task:5 is not an ACTIVE task definition revision.',
      'Hint: ACTIVE revisions: 13, 12, 11.',
    ]);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('refuses without --yes when there is no terminal to ask on', async () => {
    const runtime = testRuntime({ interactive: false });

    const code = await run(['rollback'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr).toEqual([
      'Error: Refusing to roll back without confirmation: no terminal to ask on.',
      'Hint: Pass --yes to confirm non-interactively.',
    ]);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('asks on a terminal and changes nothing when the answer is no', async () => {
    const runtime = testRuntime({ interactive: true, answer: false });

    const code = await run(['rollback'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.questions).toEqual(['Roll back now?']);
    expect(runtime.stderr).toEqual(['Rollback cancelled; nothing was changed.']);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('names ecs:UpdateService when the identity may not call it', async () => {
    ecsMock
      .on(UpdateServiceCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized', 403));
    const runtime = testRuntime({ interactive: true, answer: true });

    const code = await run(['rollback'], runtime);

    expect(code).toBe(ExitCode.ACCESS_DENIED);
    expect(runtime.stderr[0]).toBe(
      'Error: Access denied: this identity may not call ecs:UpdateService.',
    );
  });
});
