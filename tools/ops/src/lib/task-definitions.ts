import { type TaskDefinition } from '@aws-sdk/client-ecs';

import { type EcsApi } from './aws';
import { OpsError } from './errors';
import { allPages } from './paginate';

/** `arn:aws:ecs:us-west-2:123:task-definition/prod-e-task:12` or `prod-e-task:12`. */
export interface TaskDefinitionRef {
  readonly arn?: string;
  readonly family: string;
  readonly revision: number;
}

const TASK_DEFINITION =
  /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?([\w-]{1,255}):(\d+)$/;

/** Parses a task definition ARN or `family:revision`; undefined when it is neither. */
export function parseTaskDefinitionRef(value: string): TaskDefinitionRef | undefined {
  const match = TASK_DEFINITION.exec(value.trim());
  if (!match) return undefined;
  return {
    arn: value.startsWith('arn:') ? value : undefined,
    family: match[1],
    revision: Number(match[2]),
  };
}

export function taskDefinitionLabel(ref: TaskDefinitionRef): string {
  return `${ref.family}:${ref.revision}`;
}

/** The image tag of an image reference (`repo:tag`, `repo@sha256:...` gives the digest). */
export function imageTagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

/** The named container's image in a task definition. */
export function containerImage(definition: TaskDefinition | undefined, container: string) {
  return definition?.containerDefinitions?.find((c) => c.name === container)?.image;
}

/** Describes task definitions once each (several deployments often share one). */
export async function describeTaskDefinitions(
  ecs: EcsApi,
  arns: readonly string[],
): Promise<Map<string, TaskDefinition>> {
  const unique = [...new Set(arns)];
  const described = await Promise.all(
    unique.map((arn) => ecs.describeTaskDefinition({ taskDefinition: arn })),
  );
  return new Map(
    unique.flatMap((arn, i) => {
      const definition = described[i].taskDefinition;
      return definition ? [[arn, definition] as const] : [];
    }),
  );
}

/** Every revision of a family with a status, newest first (paginated). */
export async function listRevisions(
  ecs: EcsApi,
  family: string,
  status: 'ACTIVE' | 'INACTIVE',
): Promise<TaskDefinitionRef[]> {
  const pages = await allPages(
    (nextToken) =>
      ecs.listTaskDefinitions({ familyPrefix: family, status, sort: 'DESC', nextToken }),
    (page) => page.nextToken,
  );
  return (
    pages
      .flatMap((page) => page.taskDefinitionArns ?? [])
      .map(parseTaskDefinitionRef)
      // familyPrefix is a prefix: prod-e-task also matches prod-e-task-old.
      .filter((ref): ref is TaskDefinitionRef => ref?.family === family)
      .sort((a, b) => b.revision - a.revision)
  );
}

export function requireRef(arn: string | undefined, what: string): TaskDefinitionRef {
  const ref = arn ? parseTaskDefinitionRef(arn) : undefined;
  if (!ref) throw new OpsError('AWS_ERROR', `ECS returned no usable task definition for ${what}.`);
  return ref;
}
