import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';

import { ACCOUNT, imageFor, names, REGION, taskDefArn } from '../../test/fixtures';
import {
  awsError,
  ecrMock,
  ecsMock,
  iamMock,
  logsMock,
  resetAwsMocks,
  secretsMock,
} from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod-e/api-tokens-AbCdEf`;
const DB_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-1234-XyZ`;

describe('preflight', () => {
  beforeEach(() => {
    resetAwsMocks();
    ecsMock
      .on(ListTaskDefinitionsCommand)
      .resolves({ taskDefinitionArns: [taskDefArn(14), taskDefArn(13)] });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        family: names.taskFamily,
        revision: 14,
        executionRoleArn: role(names.executionRole),
        taskRoleArn: role(names.taskRole),
        containerDefinitions: [
          {
            name: names.container,
            image: imageFor('sha-14'),
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': names.logGroup, 'awslogs-region': REGION },
            },
            secrets: [
              { name: 'API_TOKENS', valueFrom: SECRET },
              { name: 'DATABASE_PASSWORD', valueFrom: `${DB_SECRET}:password::` },
            ],
          },
        ],
      },
    });
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [{ imageTags: ['sha-14'], imagePushedAt: new Date('2025-03-14T07:00:00Z') }],
    });
    iamMock.on(GetRoleCommand).resolves({ Role: undefined });
    logsMock
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: names.logGroup }] });
    secretsMock.on(DescribeSecretCommand).resolves({ Name: 'x' });
    iamMock.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
      EvaluationResults: input.ActionNames.flatMap((action: string) =>
        input.ResourceArns.map((resource: string) => ({
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: 'allowed',
        })),
      ),
    }));
  });

  it("checks the newest revision's image, roles, log group, secrets and execution role permissions", async () => {
    const runtime = testRuntime();

    const code = await run(['preflight'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout[0]).toBe('Preflight of prod-e-task:14 (prod, us-west-2):');
    expect(runtime.stdout.at(-1)).toBe('All 9 checks passed.');
    expect(ecsMock).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, {
      taskDefinition: taskDefArn(14),
    });
    expect(ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, {
      repositoryName: names.ecrRepository,
      imageIds: [{ imageTag: 'sha-14' }],
    });
    expect(secretsMock).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: DB_SECRET });
    expect(iamMock).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      PolicySourceArn: role(names.executionRole),
      ActionNames: ['secretsmanager:GetSecretValue'],
      ResourceArns: [SECRET, DB_SECRET],
    });
  });

  it('fails (exit 1) when the image tag to deploy is not in ECR, and names every other problem', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'ImageNotFoundException',
          "The image with imageId {imageTag:'sha-15'} does not exist",
        ),
      );
    secretsMock
      .on(DescribeSecretCommand, { SecretId: DB_SECRET })
      .rejects(
        awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      );
    iamMock
      .on(SimulatePrincipalPolicyCommand, { ActionNames: ['secretsmanager:GetSecretValue'] })
      .resolves({
        EvaluationResults: [
          {
            EvalActionName: 'secretsmanager:GetSecretValue',
            EvalResourceName: SECRET,
            EvalDecision: 'allowed',
          },
          {
            EvalActionName: 'secretsmanager:GetSecretValue',
            EvalResourceName: DB_SECRET,
            EvalDecision: 'implicitDeny',
          },
        ],
      });
    const runtime = testRuntime();

    const code = await run(
      ['preflight', '--task-definition', 'prod-e-task:14', '--image-tag', 'sha-15', '--json'],
      runtime,
    );

    expect(code).toBe(ExitCode.FAILED);
    const report = JSON.parse(runtime.stdout.join('\n'));
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c: { status: string }) => c.status === 'fail');
    expect(failed).toEqual([
      expect.objectContaining({
        check: 'image',
        subject: imageFor('sha-15'),
        detail:
          'not found in ECR repository prod-e-backend: tasks would stop with CannotPullContainerError',
      }),
      expect.objectContaining({ check: 'secret', subject: 'rds!db-1234-XyZ' }),
      expect.objectContaining({ check: 'execution role may', subject: 'read 2 secret(s)' }),
    ]);
  });

  it('reports a check it may not run as unknown, without failing the preflight', async () => {
    iamMock
      .on(GetRoleCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform iam:GetRole', 403));
    const runtime = testRuntime();

    const code = await run(['preflight'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout).toContainEqual(
      expect.stringMatching(
        /^ {2}\? +execution role +ecs-task-execution-role +could not check: Access denied: this identity may not call iam:GetRole\.$/,
      ),
    );
    expect(runtime.stdout.at(-1)).toBe('All 7 checks passed (2 could not be checked).');
  });
});
