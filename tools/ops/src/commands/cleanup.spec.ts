import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';

import {
  at,
  deployment,
  imageFor,
  mockHealthyService,
  service,
  taskDefArn,
} from '../../test/fixtures';
import { awsError, ecrMock, ecsMock, resetAwsMocks } from '../../test/mock-aws';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

const range = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => from - i);
const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

describe('cleanup', () => {
  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
    // The service runs 13; revisions 13..4 are ACTIVE, 3..1 INACTIVE.
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [service({ deployments: [deployment({ revision: 13 })] })] });
    ecsMock
      .on(ListTaskDefinitionsCommand, { status: 'ACTIVE' })
      .resolves({ taskDefinitionArns: range(13, 4).map((r) => taskDefArn(r)) });
    ecsMock
      .on(ListTaskDefinitionsCommand, { status: 'INACTIVE' })
      .resolves({ taskDefinitionArns: range(3, 1).map((r) => taskDefArn(r)) });
    // Images sha-13..sha-1 (newest first by push time) over two pages, plus two untagged.
    const tagged: ImageDetail[] = range(13, 1).map((r) => ({
      imageDigest: digest(r),
      imageTags: [`sha-${r}`],
      imagePushedAt: at(100 - r),
    }));
    const untagged: ImageDetail[] = [100, 101].map((n) => ({
      imageDigest: digest(n),
      imagePushedAt: at(1),
    }));
    ecrMock
      .on(DescribeImagesCommand)
      .resolvesOnce({ imageDetails: tagged.slice(0, 8), nextToken: 'images-2' })
      .resolves({ imageDetails: [...tagged.slice(8), ...untagged] });
  });

  it('lists what is beyond --keep and deletes nothing without --apply', async () => {
    const runtime = testRuntime();

    const code = await run(['cleanup', '--keep', '3', '--json'], runtime);

    expect(code).toBe(ExitCode.OK);
    const report = JSON.parse(runtime.stdout.join('\n'));
    expect(report.applied).toBe(false);
    expect(report.keptRevisions).toEqual(['prod-e-task:13', 'prod-e-task:12', 'prod-e-task:11']);
    expect(
      report.revisions.map(
        (r: { revision: number; status: string }) => `${r.revision}:${r.status}`,
      ),
    ).toEqual([
      ...range(10, 4).map((r) => `${r}:ACTIVE`),
      ...range(3, 1).map((r) => `${r}:INACTIVE`),
    ]);
    expect(
      report.images.map((i: { tags: string[]; reason: string }) => i.tags[0] ?? i.reason),
      // sha-10..sha-4 belong to ACTIVE revisions: they go on the run after those are deregistered.
    ).toEqual(['untagged', 'untagged', 'sha-3', 'sha-2', 'sha-1']);
    expect(report.keptImages).toBe(10);
    expect(ecrMock).toHaveReceivedCommandWith(DescribeImagesCommand, {
      repositoryName: 'prod-e-backend',
      nextToken: 'images-2',
    });
    expect(ecsMock).not.toHaveReceivedCommand(DeregisterTaskDefinitionCommand);
    expect(ecsMock).not.toHaveReceivedCommand(DeleteTaskDefinitionsCommand);
    expect(ecrMock).not.toHaveReceivedCommand(BatchDeleteImageCommand);
  });

  it('never lists a revision a deployment still uses, nor the image any ACTIVE revision runs', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({ revision: 13 }),
            deployment({ status: 'ACTIVE', revision: 7 }),
          ],
        }),
      ],
    });
    const runtime = testRuntime();

    await run(['cleanup', '--keep', '1', '--json'], runtime);

    const report = JSON.parse(runtime.stdout.join('\n'));
    expect(report.keptRevisions).toEqual(['prod-e-task:13', 'prod-e-task:7']);
    const images = report.images.map((i: { tags: string[] }) => i.tags[0]);
    expect(images).not.toContain('sha-13');
    expect(images).not.toContain('sha-7');
    expect(images).not.toContain('sha-12');
    expect(images).toContain('sha-3');
  });

  it('keeps an image a kept revision names by digest rather than by tag', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefArn(11) }).resolves({
      taskDefinition: {
        containerDefinitions: [
          { name: 'prod-e-container', image: `${imageFor('x').split(':')[0]}@${digest(2)}` },
        ],
      },
    });
    const runtime = testRuntime();

    await run(['cleanup', '--keep', '3', '--json'], runtime);

    const report = JSON.parse(runtime.stdout.join('\n'));
    const digests = report.images.map((i: { digest: string }) => i.digest);
    expect(digests).not.toContain(digest(2));
    expect(digests).toContain(digest(1));
    expect(report.keptImages).toBe(11);
  });

  it('with --apply deletes everything it can and reports every failure in the batch', async () => {
    ecsMock.on(DeregisterTaskDefinitionCommand).resolves({});
    ecsMock
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: taskDefArn(9) })
      .rejects(
        awsError('ClientException', 'The specified task definition is being used by a task set.'),
      );
    ecsMock.on(DeleteTaskDefinitionsCommand).callsFake((input: { taskDefinitions: string[] }) => ({
      taskDefinitions: input.taskDefinitions.slice(1).map((arn) => ({ taskDefinitionArn: arn })),
      failures: [
        {
          arn: input.taskDefinitions[0],
          reason: 'TASK_DEFINITION_IN_USE',
          detail: 'in use by a service',
        },
      ],
    }));
    ecrMock
      .on(BatchDeleteImageCommand)
      .callsFake((input: { imageIds: { imageDigest: string }[] }) => ({
        imageIds: input.imageIds.slice(0, -1),
        failures: [
          {
            imageId: input.imageIds.at(-1),
            failureCode: 'ImageReferencedByManifestList',
            failureReason: 'referenced',
          },
        ],
      }));
    const runtime = testRuntime();

    const code = await run(['cleanup', '--keep', '3', '--apply'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(ecsMock).toHaveReceivedCommandTimes(DeregisterTaskDefinitionCommand, 7);
    // 6 deregistered + 3 INACTIVE = 9, one batch (ECS takes up to 10).
    expect(ecsMock).toHaveReceivedCommandTimes(DeleteTaskDefinitionsCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(DeleteTaskDefinitionsCommand, {
      taskDefinitions: [10, 8, 7, 6, 5, 4, 3, 2, 1].map((r) => taskDefArn(r)),
    });
    expect(ecrMock).toHaveReceivedCommandWith(BatchDeleteImageCommand, {
      repositoryName: 'prod-e-backend',
      imageIds: [100, 101, 3, 2, 1].map((n) => ({ imageDigest: digest(n) })),
    });
    const text = runtime.stdout.join('\n');
    expect(text).toContain('Deleted 12 item(s); 3 failure(s).');
    expect(text).toContain(
      '✗ ecs:DeregisterTaskDefinition prod-e-task:9: ecs:DeregisterTaskDefinition failed: ClientException: The specified task definition is being used by a task set.',
    );
    expect(text).toContain(
      `✗ ecs:DeleteTaskDefinitions ${taskDefArn(10)}: TASK_DEFINITION_IN_USE: in use by a service`,
    );
    expect(text).toContain(
      `✗ ecr:BatchDeleteImage ${digest(1)}: ImageReferencedByManifestList: referenced`,
    );
  });

  describe('with OCI image indexes (multi-platform builds, attestations)', () => {
    const INDEX = 'application/vnd.oci.image.index.v1+json';
    const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
    const index = (n: number, tag: string): ImageDetail => ({
      imageDigest: digest(n),
      imageTags: [tag],
      imagePushedAt: at(100 - n),
      imageManifestMediaType: INDEX,
    });
    const child = (n: number): ImageDetail => ({
      imageDigest: digest(n),
      imagePushedAt: at(50),
      imageManifestMediaType: MANIFEST,
    });
    const manifestOf = (children: number[]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: INDEX,
        manifests: children.map((n) => ({ mediaType: MANIFEST, digest: digest(n), size: 1 })),
      });

    beforeEach(() => {
      // sha-13 (running) and sha-2 (an INACTIVE revision's) are indexes over untagged children:
      // 201 amd64 and 202 its attestation; 211, 212 for sha-2. 299 is an orphan.
      ecrMock.on(DescribeImagesCommand).resolves({
        imageDetails: [
          index(13, 'sha-13'),
          ...range(12, 3).map((r) => ({
            imageDigest: digest(r),
            imageTags: [`sha-${r}`],
            imagePushedAt: at(100 - r),
          })),
          index(2, 'sha-2'),
          ...[201, 202, 211, 212, 299].map(child),
        ],
      });
      ecrMock
        .on(BatchGetImageCommand)
        .callsFake((input: { imageIds: { imageDigest: string }[] }) => ({
          images: input.imageIds.map(({ imageDigest }) => ({
            imageId: { imageDigest },
            imageManifest: manifestOf(imageDigest === digest(13) ? [201, 202] : [211, 212]),
          })),
        }));
    });

    it('never deletes the untagged child manifests of a kept index, only those of a deleted one', async () => {
      const runtime = testRuntime();

      await run(['cleanup', '--keep', '3', '--json'], runtime);

      const report = JSON.parse(runtime.stdout.join('\n'));
      const digests = report.images.map((i: { digest: string }) => i.digest);
      expect(digests).not.toContain(digest(201));
      expect(digests).not.toContain(digest(202));
      expect(digests).toEqual(
        expect.arrayContaining([digest(211), digest(212), digest(299), digest(3), digest(2)]),
      );
      expect(digests).toHaveLength(5);
      expect(ecrMock).toHaveReceivedCommandWith(BatchGetImageCommand, {
        repositoryName: 'prod-e-backend',
        imageIds: [{ imageDigest: digest(13) }],
      });
    });
  });
});
