import {
  GetResourcesCommand,
  type ResourceTagMapping,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

import { ACCOUNT, taskDefArn } from '../../test/fixtures';
import { awsError, resetAwsMocks, stsMock, taggingMock } from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { type InventoryRow } from '../lib/inventory';
import { run } from '../main';

const arn = (service: string, resource: string, region = 'us-west-2') =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const tagged = (resourceArn: string, name?: string): ResourceTagMapping => ({
  ResourceARN: resourceArn,
  Tags: [
    { Key: 'Project', Value: 'prod-e' },
    { Key: 'Environment', Value: 'prod' },
    ...(name ? [{ Key: 'Name', Value: name }] : []),
  ],
});

/** Everything the prod stack must have, as the Tagging API lists it. */
const STACK: ResourceTagMapping[] = [
  tagged(arn('ecs', 'cluster/prod-e-cluster')),
  tagged(arn('ecs', 'service/prod-e-cluster/prod-e-service')),
  tagged(taskDefArn(500)),
  tagged(arn('elasticloadbalancing', 'loadbalancer/app/prod-e-alb/50dc6c495c0c9188')),
  tagged(arn('elasticloadbalancing', 'targetgroup/ecs-target-group-v2/73e2d6bc24d8a067')),
  tagged(arn('elasticloadbalancing', 'listener/app/prod-e-alb/50dc6c495c0c9188/f2f7dc8efc522ab2')),
  tagged(arn('rds', 'db:prod-e-db')),
  tagged(arn('ecr', 'repository/prod-e-backend')),
  tagged(arn('logs', 'log-group:/ecs/prod-e-task')),
  tagged(arn('secretsmanager', 'secret:prod-e/api-tokens-AbC123')),
  tagged(arn('ec2', 'vpc/vpc-0abc'), 'main-vpc'),
  tagged(arn('ec2', 'subnet/subnet-0a'), 'private-subnet-a'),
  tagged(arn('ec2', 'subnet/subnet-0b'), 'private-subnet-b'),
  tagged(arn('ec2', 'security-group/sg-0svc'), 'ecs-security-group'),
];

/** `total` resources: the stack, then task definition revisions and alarms, in pages of 100. */
function mockPages(total: number, stack = STACK): void {
  const extra = Array.from({ length: total - stack.length }, (_, i) =>
    i % 2 ? tagged(taskDefArn(i + 1)) : tagged(arn('cloudwatch', `alarm:prod-e-alarm-${i}`)),
  );
  const all = [...stack, ...extra];
  const pages = Math.ceil(all.length / 100);
  for (let p = 0; p < pages; p++) {
    taggingMock
      .on(GetResourcesCommand, { PaginationToken: p === 0 ? undefined : `page-${p}` })
      .resolves({
        ResourceTagMappingList: all.slice(p * 100, p * 100 + 100),
        PaginationToken: p + 1 < pages ? `page-${p + 1}` : '',
      });
  }
}

describe('resources', () => {
  beforeEach(() => {
    resetAwsMocks();
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  });

  it('reads 250 resources over 3 pages and exits 0 when nothing expected is missing', async () => {
    mockPages(250);
    const runtime = testRuntime();

    const code = await run(['resources', '--json'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(taggingMock).toHaveReceivedCommandTimes(GetResourcesCommand, 3);
    expect(taggingMock).toHaveReceivedCommandWith(GetResourcesCommand, {
      TagFilters: [
        { Key: 'Project', Values: ['prod-e'] },
        { Key: 'Environment', Values: ['prod'] },
      ],
      PaginationToken: 'page-2',
    });
    const report = JSON.parse(runtime.stdout.join('\n'));
    // ok: 12 named resources + every revision of the task family (1 + 118); other: listener + 118 alarms.
    expect(report.summary).toEqual({
      found: 250,
      ok: 131,
      missing: 0,
      unexpected: 0,
      unverified: 2,
      other: 119,
    });
    expect(report.account).toBe(ACCOUNT);
    const rows = report.resources as InventoryRow[];
    expect(rows.filter((r) => r.status === 'unverified').map((r) => r.name)).toEqual([
      'ecs-task-execution-role',
      'ecs-task-role',
    ]);
    expect(rows.find((r) => r.kind === 'secretsmanager:secret')).toMatchObject({
      status: 'ok',
      name: 'prod-e/api-tokens',
    });
  });

  it('flags missing and unexpected resources and exits 1', async () => {
    const stack = STACK.filter(
      (r) => !r.ResourceARN?.includes(':db:') && !r.ResourceARN?.includes('subnet-0b'),
    );
    mockPages(20, [
      ...stack,
      tagged(arn('ecs', 'cluster/old-cluster')),
      tagged(arn('lambda', 'function:forgotten')),
      tagged(arn('iam', 'role/ecs-task-role', '')),
    ]);
    const runtime = testRuntime();

    const code = await run(['resources'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    const [header, ...lines] = runtime.stdout;
    expect(header).toMatch(/^STATUS\s+KIND\s+NAME\s+ARN\s+NOTE$/);
    expect(lines.slice(0, 4).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'missing ec2:subnet private-subnet-b',
      'missing rds:db prod-e-db',
      'unexpected ecs:cluster old-cluster',
      'unexpected lambda:function forgotten',
    ]);
    expect(lines.some((l) => /^ok\s+iam:role\s+ecs-task-role/.test(l))).toBe(true);
    expect(runtime.stdout.at(-1)).toMatch(/2 missing, 2 unexpected, 1 unverified/);
  });

  it('prints CSV with quoted fields', async () => {
    mockPages(STACK.length);
    const runtime = testRuntime();

    await run(['resources', '--csv'], runtime);

    expect(runtime.stdout[0]).toBe('status,kind,name,arn,note');
    expect(runtime.stdout).toContain(
      'unverified,iam:role,ecs-task-role,,IAM is global: the Tagging API may not list roles in this region',
    );
    // header + 13 found resources of the stack + the listener + 2 unverified roles
    expect(runtime.stdout).toHaveLength(1 + 13 + 1 + 2);
  });

  it('exits 64 when --csv and --json are combined', async () => {
    const runtime = testRuntime();

    const code = await run(['resources', '--csv', '--json'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe('Error: Invalid option: --csv cannot be combined with --json.');
  });

  it('exits with the credentials code when the token has expired', async () => {
    taggingMock
      .on(GetResourcesCommand)
      .rejects(
        awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      );
    const runtime = testRuntime();

    const code = await run(['resources'], runtime);

    expect(code).toBe(ExitCode.CREDENTIALS);
    expect(runtime.stderr).toEqual([
      'Error: AWS credentials have expired (while calling tag:GetResources).',
      'Hint: Refresh them (for example `aws sso login --profile <name>`) and retry.',
    ]);
  });
});
