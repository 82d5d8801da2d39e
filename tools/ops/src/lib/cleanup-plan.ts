import { type ResourceNames } from '@prod-e/deployment';

import { type ImageDetail } from '@aws-sdk/client-ecr';

import { type AwsClients } from './aws';
import { OpsError } from './errors';
import { allPages } from './paginate';
import { describeService } from './service-state';
import {
  containerImage,
  describeTaskDefinitions,
  imageTagOf,
  listRevisions,
  type TaskDefinitionRef,
  taskDefinitionLabel,
} from './task-definitions';

export interface RevisionCandidate {
  arn: string;
  label: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
}

export interface ImageCandidate {
  digest: string;
  tags: string[];
  pushedAt: string | null;
  reason: 'untagged' | 'old';
}

export interface CleanupPlan {
  keep: number;
  /** Revisions kept: the newest `keep` plus whatever the service's deployments use. */
  keptRevisions: string[];
  revisions: RevisionCandidate[];
  images: ImageCandidate[];
  keptImages: number;
}

export interface CleanupFailure {
  item: string;
  action: string;
  reason: string;
}

const arnOf = (ref: TaskDefinitionRef) => ref.arn ?? taskDefinitionLabel(ref);

/** Manifest media types that list other manifests (multi-platform images, attestations). */
const INDEX_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** The image references (tags or digests) of every ACTIVE revision: all must stay pullable. */
async function imageRefsOfActive(
  aws: AwsClients,
  names: ResourceNames,
  active: readonly string[],
): Promise<Set<string>> {
  const definitions = await describeTaskDefinitions(aws.ecs, active);
  return new Set(
    active.flatMap((arn) => {
      const ref = imageTagOf(containerImage(definitions.get(arn), names.container));
      return ref ? [ref] : [];
    }),
  );
}

/** The child manifests an index lists, read with BatchGetImage (100 ids a call). */
async function childDigests(
  aws: AwsClients,
  repositoryName: string,
  indexes: readonly ImageDetail[],
): Promise<Set<string>> {
  const children = new Set<string>();
  for (let i = 0; i < indexes.length; i += 100) {
    const result = await aws.ecr.batchGetImage({
      repositoryName,
      imageIds: indexes.slice(i, i + 100).map((image) => ({ imageDigest: image.imageDigest })),
      acceptedMediaTypes: INDEX_MEDIA_TYPES,
    });
    for (const image of result.images ?? []) {
      const manifest = JSON.parse(image.imageManifest ?? '{}') as {
        manifests?: { digest?: string }[];
      };
      for (const child of manifest.manifests ?? []) if (child.digest) children.add(child.digest);
    }
  }
  return children;
}

/**
 * Which images stay: the newest `keep` tagged ones, every one an ACTIVE revision names (by tag or
 * digest), and every manifest a kept index lists (its platform images and attestations are
 * untagged, and deleting them breaks the pull of the index).
 */
async function imagesToKeep(
  aws: AwsClients,
  repositoryName: string,
  images: readonly ImageDetail[],
  refs: ReadonlySet<string>,
  keep: number,
): Promise<Set<string>> {
  const newestTagged = images
    .filter((i) => i.imageTags?.length)
    .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
    .slice(0, keep);
  const referenced = images.filter(
    (i) => refs.has(i.imageDigest ?? '') || (i.imageTags ?? []).some((tag) => refs.has(tag)),
  );
  const kept = new Set([...newestTagged, ...referenced]);
  const indexes = [...kept].filter((i) =>
    INDEX_MEDIA_TYPES.includes(i.imageManifestMediaType ?? ''),
  );
  const children = indexes.length ? await childDigests(aws, repositoryName, indexes) : new Set();
  return new Set(
    images
      .filter((i) => kept.has(i) || children.has(i.imageDigest ?? ''))
      .map((i) => i.imageDigest ?? ''),
  );
}

/**
 * What cleanup would remove. Never a revision a deployment uses; never an image an ACTIVE revision
 * runs (so `rollback` to any ACTIVE revision still finds its image; the images of revisions this
 * run deregisters go on the next run), nor a manifest a kept image index lists.
 */
export async function planCleanup(
  aws: AwsClients,
  names: ResourceNames,
  keep: number,
): Promise<CleanupPlan> {
  const service = await describeService(aws.ecs, names, aws.region);
  const inUse = new Set(
    [service.taskDefinition, ...(service.deployments ?? []).map((d) => d.taskDefinition)].filter(
      (arn): arn is string => Boolean(arn),
    ),
  );
  const [active, inactive] = await Promise.all([
    listRevisions(aws.ecs, names.taskFamily, 'ACTIVE'),
    listRevisions(aws.ecs, names.taskFamily, 'INACTIVE'),
  ]);
  const all = [
    ...active.map((ref) => ({ ref, status: 'ACTIVE' as const })),
    ...inactive.map((ref) => ({ ref, status: 'INACTIVE' as const })),
  ].sort((a, b) => b.ref.revision - a.ref.revision);
  const kept = all.filter(({ ref }, i) => i < keep || inUse.has(arnOf(ref)));
  const revisions = all
    .filter((entry) => !kept.includes(entry))
    .map(({ ref, status }) => ({
      arn: arnOf(ref),
      label: taskDefinitionLabel(ref),
      revision: ref.revision,
      status,
    }));

  const refs = await imageRefsOfActive(aws, names, active.map(arnOf));
  const images = await listImages(aws, names.ecrRepository);
  const keptDigests = await imagesToKeep(aws, names.ecrRepository, images, refs, keep);
  const candidates = images
    .filter((i) => !keptDigests.has(i.imageDigest ?? ''))
    .sort((a, b) => Number(Boolean(a.imageTags?.length)) - Number(Boolean(b.imageTags?.length)))
    .map((i) => candidate(i, i.imageTags?.length ? 'old' : 'untagged'));
  return {
    keep,
    keptRevisions: kept.map(({ ref }) => taskDefinitionLabel(ref)),
    revisions,
    images: candidates,
    keptImages: images.length - candidates.length,
  };
}

function candidate(image: ImageDetail, reason: ImageCandidate['reason']): ImageCandidate {
  return {
    digest: image.imageDigest ?? '',
    tags: image.imageTags ?? [],
    pushedAt: image.imagePushedAt?.toISOString() ?? null,
    reason,
  };
}

async function listImages(aws: AwsClients, repositoryName: string): Promise<ImageDetail[]> {
  const pages = await allPages(
    (nextToken) => aws.ecr.describeImages({ repositoryName, nextToken, maxResults: 1000 }),
    (page) => page.nextToken,
  );
  return pages.flatMap((page) => page.imageDetails ?? []);
}

const reasonOf = (error: unknown) => (error instanceof OpsError ? error.message : String(error));

/**
 * Deletes the plan: deregister ACTIVE revisions one by one, delete revisions in batches of 10,
 * images in batches of 100. A failure never stops the rest; every one is returned.
 */
export async function applyCleanup(
  aws: AwsClients,
  names: ResourceNames,
  plan: CleanupPlan,
): Promise<{ deleted: number; failures: CleanupFailure[] }> {
  const failures: CleanupFailure[] = [];
  let deleted = 0;
  const deletable: string[] = [];
  for (const revision of plan.revisions) {
    if (revision.status === 'INACTIVE') {
      deletable.push(revision.arn);
      continue;
    }
    try {
      await aws.ecs.deregisterTaskDefinition({ taskDefinition: revision.arn });
      deletable.push(revision.arn);
    } catch (error) {
      failures.push({
        item: revision.label,
        action: 'ecs:DeregisterTaskDefinition',
        reason: reasonOf(error),
      });
    }
  }
  for (let i = 0; i < deletable.length; i += 10) {
    const batch = deletable.slice(i, i + 10);
    try {
      const result = await aws.ecs.deleteTaskDefinitions({ taskDefinitions: batch });
      deleted += result.taskDefinitions?.length ?? 0;
      for (const f of result.failures ?? []) {
        failures.push({
          item: f.arn ?? '?',
          action: 'ecs:DeleteTaskDefinitions',
          reason: [f.reason, f.detail].filter(Boolean).join(': '),
        });
      }
    } catch (error) {
      batch.forEach((arn) =>
        failures.push({ item: arn, action: 'ecs:DeleteTaskDefinitions', reason: reasonOf(error) }),
      );
    }
  }
  for (let i = 0; i < plan.images.length; i += 100) {
    const batch = plan.images.slice(i, i + 100);
    try {
      const result = await aws.ecr.batchDeleteImage({
        repositoryName: names.ecrRepository,
        imageIds: batch.map((image) => ({ imageDigest: image.digest })),
      });
      deleted += result.imageIds?.length ?? 0;
      for (const f of result.failures ?? []) {
        failures.push({
          item: f.imageId?.imageDigest ?? f.imageId?.imageTag ?? '?',
          action: 'ecr:BatchDeleteImage',
          reason: [f.failureCode, f.failureReason].filter(Boolean).join(': '),
        });
      }
    } catch (error) {
      batch.forEach((image) =>
        failures.push({
          item: image.digest,
          action: 'ecr:BatchDeleteImage',
          reason: reasonOf(error),
        }),
      );
    }
  }
  return { deleted, failures };
}
