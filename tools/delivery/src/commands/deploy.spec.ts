import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { resourceNames, SERVICE_URL_OUTPUT, TASK_DEFINITION_OUTPUT } from '@prod-e/deployment';

import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { synthesizedStackFile } from '../lib/paths';
import { deploy, INFRA_TERRAFORM_CLI } from './deploy';
import { fakeContext } from './fake-context';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const REVISION = 'arn:aws:ecs:us-west-2:123456789012:task-definition/prod-e-task:42';

const SERVICE_URL = 'https://api.example.com';

/** `terraform output -raw task_definition_arn` / `service_url` after the apply. */
function appliedRevision(command: string) {
  if (command === `terraform output -raw ${TASK_DEFINITION_OUTPUT}`) return { stdout: REVISION };
  if (command === `terraform output -raw ${SERVICE_URL_OUTPUT}`) return { stdout: SERVICE_URL };
  return undefined;
}
const ecr = mockClient(ECRClient);

/** What `infra:synth` writes: a task definition whose API container runs `image`. */
async function writeStack(root: string, image: string): Promise<void> {
  const names = resourceNames('prod');
  const file = synthesizedStackFile(names.stack, root);
  await mkdir(dirname(file), { recursive: true });
  const containers = [{ name: names.container, image }];
  await writeFile(
    file,
    JSON.stringify({
      resource: {
        aws_ecs_task_definition: {
          td: { family: names.taskFamily, container_definitions: JSON.stringify(containers) },
        },
      },
    }),
  );
}

describe('deploy', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'prod-e-deploy-'));
    ecr.reset();
    // api:push ran: ECR holds the tag.
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageTags: [SHA] }] });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('synthesizes with the tag, applies the stack without asking in CI, then verifies the applied revision', async () => {
    const { context, calls } = fakeContext(
      root,
      (command) => {
        if (command.includes('infra:synth'))
          return writeStack(root, `\${aws_ecr_repository.repo.repository_url}:${SHA}`);
        return appliedRevision(command);
      },
      { PROD_E_IMAGE_TAG: SHA, CI: 'true' },
    );

    const deployment = await deploy(context, { env: 'prod', skipVerify: false });

    expect(deployment).toEqual({ tag: SHA, taskDefinitionArn: REVISION, verified: true });
    expect(calls.map((call) => call.command)).toEqual([
      'terraform version -json',
      'npx nx run infra:synth --skip-nx-cache --outputStyle=static',
      `npx tsx ${INFRA_TERRAFORM_CLI} deploy -auto-approve`,
      `terraform output -raw ${TASK_DEFINITION_OUTPUT}`,
      `terraform output -raw ${SERVICE_URL_OUTPUT}`,
      `npx --no-install prod-e verify --env prod --task-definition ${REVISION} --url ${SERVICE_URL}`,
    ]);
    // The output is read in the applied stack's directory.
    expect(calls[3].options?.cwd).toBe(dirname(synthesizedStackFile('prod-e', root)));
    const synth = calls[1];
    expect(synth.options?.env).toMatchObject({ PROD_E_IMAGE_TAG: SHA, PROD_E_ENVIRONMENT: 'prod' });
  });

  it('stops before synth when ECR does not hold the tag, naming the push command', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error('no such tag'), { name: 'ImageNotFoundException' }));
    const { context, calls } = fakeContext(root, undefined, { PROD_E_IMAGE_TAG: SHA });

    await expect(deploy(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      `prod-e-backend:${SHA} is not in ECR: push it first with \`npx nx run api:push --environment prod\`.`,
    );
    expect(ecr).toHaveReceivedCommandWith(DescribeImagesCommand, {
      repositoryName: 'prod-e-backend',
      imageIds: [{ imageTag: SHA }],
    });
    expect(calls.map((call) => call.command)).toEqual(['terraform version -json']);
  });

  it('stops before terraform when the synthesized task definition runs another tag', async () => {
    const { context, calls } = fakeContext(
      root,
      (command) => {
        if (command.includes('infra:synth')) return writeStack(root, 'repo:latest');
        return undefined;
      },
      { PROD_E_IMAGE_TAG: SHA },
    );

    await expect(deploy(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      /runs repo:latest, not tag 0123456789abcdef0123456789abcdef01234567/,
    );
    expect(calls.some((call) => call.command.includes(INFRA_TERRAFORM_CLI))).toBe(false);
  });

  it('stops when terraform apply fails, before verify', async () => {
    const { context, calls } = fakeContext(
      root,
      (command) => {
        if (command.includes('infra:synth')) return writeStack(root, `r:${SHA}`);
        if (command.includes(INFRA_TERRAFORM_CLI)) return { exitCode: 1 };
        return undefined;
      },
      { PROD_E_IMAGE_TAG: SHA },
    );

    await expect(deploy(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      'Terraform apply failed (exit 1); the output above says why.',
    );
    expect(calls.some((call) => call.command.includes('verify'))).toBe(false);
  });

  it('leaves verify to a later step with --skip-verify, still naming the applied revision', async () => {
    const { context, calls } = fakeContext(
      root,
      (command) => {
        if (command.includes('infra:synth')) return writeStack(root, `r:${SHA}`);
        return appliedRevision(command);
      },
      { PROD_E_IMAGE_TAG: SHA },
    );

    await expect(deploy(context, { env: 'prod', skipVerify: true })).resolves.toMatchObject({
      taskDefinitionArn: REVISION,
      verified: false,
    });
    expect(calls.some((call) => call.command.includes('verify'))).toBe(false);
  });

  it('stops before verify when the apply recorded no revision', async () => {
    const { context, calls } = fakeContext(
      root,
      (command) => {
        if (command.includes('infra:synth')) return writeStack(root, `r:${SHA}`);
        if (command.startsWith('terraform output')) return { exitCode: 1 };
        return undefined;
      },
      { PROD_E_IMAGE_TAG: SHA },
    );

    await expect(deploy(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      /terraform output task_definition_arn gave no task definition ARN \(exit 1\)/,
    );
    expect(calls.some((call) => call.command.includes('verify'))).toBe(false);
  });
});
