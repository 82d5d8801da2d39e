import { type ContainerDefinition, type TaskDefinition } from '@aws-sdk/client-ecs';

import { type AwsClients } from './aws';
import { OpsError } from './errors';

/** `pass`: checked and fine; `fail`: the deploy would fail on it; `unknown`: could not check. */
export type CheckStatus = 'pass' | 'fail' | 'unknown';

export interface PreflightCheck {
  check: string;
  subject: string;
  status: CheckStatus;
  detail: string;
}

type Check = Promise<PreflightCheck>;

const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Runs one lookup: a NOT_FOUND is the failure it looks for, other errors mean "could not check". */
async function check(
  name: string,
  subject: string,
  lookup: () => Promise<string>,
  missing: string,
): Check {
  try {
    return { check: name, subject, status: 'pass', detail: await lookup() };
  } catch (error) {
    if (error instanceof OpsError && error.code === 'NOT_FOUND') {
      return { check: name, subject, status: 'fail', detail: missing };
    }
    const reason = error instanceof OpsError ? error.message : String(error);
    return { check: name, subject, status: 'unknown', detail: `could not check: ${reason}` };
  }
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` or `…/<repo>@sha256:…`. */
export function parseEcrImage(image: string) {
  const match =
    /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+)|@(.+))?$/.exec(
      image,
    );
  if (!match) return undefined;
  const [, account, region, repository, tag, digest] = match;
  return {
    repository,
    arn: `arn:aws:ecr:${region}:${account}:repository/${repository}`,
    imageId: digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' },
  };
}

function imageCheck(aws: AwsClients, image: string): Check {
  const ecr = parseEcrImage(image);
  if (!ecr) {
    return Promise.resolve({
      check: 'image',
      subject: image,
      status: 'unknown',
      detail: 'not an ECR image; not checked',
    });
  }
  return check(
    'image',
    image,
    async () => {
      const found = await aws.ecr.describeImages({
        repositoryName: ecr.repository,
        imageIds: [ecr.imageId],
      });
      const pushed = found.imageDetails?.[0]?.imagePushedAt?.toISOString();
      return `exists in ${ecr.repository}${pushed ? ` (pushed ${pushed})` : ''}`;
    },
    `not found in ECR repository ${ecr.repository}: tasks would stop with CannotPullContainerError`,
  );
}

function roleCheck(aws: AwsClients, name: string, arn: string | undefined): Check {
  if (!arn) {
    return Promise.resolve({ check: name, subject: '-', status: 'fail', detail: 'not set' });
  }
  return check(
    name,
    lastSegment(arn),
    async () => {
      await aws.iam.getRole({ RoleName: lastSegment(arn) });
      return 'exists';
    },
    'does not exist: ECS cannot assume it',
  );
}

function logGroupCheck(aws: AwsClients, container: ContainerDefinition): Check {
  const group = container.logConfiguration?.options?.['awslogs-group'];
  if (!group) {
    return Promise.resolve({
      check: 'log group',
      subject: '-',
      status: 'unknown',
      detail: 'the container does not log with awslogs',
    });
  }
  return check(
    'log group',
    group,
    async () => {
      const page = await aws.logs.describeLogGroups({ logGroupNamePrefix: group });
      if (!page.logGroups?.some((g) => g.logGroupName === group)) {
        throw new OpsError('NOT_FOUND', `Log group ${group} does not exist.`);
      }
      return 'exists';
    },
    'does not exist: the container would fail to start (awslogs cannot create its stream)',
  );
}

/** A Secrets Manager `valueFrom` without its `:json-key:version-stage:version-id` suffix. */
export function secretArnOf(valueFrom: string): string | undefined {
  const parts = valueFrom.split(':');
  if (parts[2] !== 'secretsmanager' || parts.length < 7) return undefined;
  return parts.slice(0, 7).join(':');
}

function secretCheck(aws: AwsClients, arn: string): Check {
  return check(
    'secret',
    lastSegment(arn.split(':secret:')[1] ?? arn),
    async () => {
      const secret = await aws.secrets.describeSecret({ SecretId: arn });
      if (secret.DeletedDate) {
        throw new OpsError('NOT_FOUND', `Secret ${arn} is scheduled for deletion.`);
      }
      return 'exists';
    },
    'does not exist or is scheduled for deletion: tasks would stop with ResourceInitializationError',
  );
}

/** Asks IAM whether the execution role may do `actions` on `resources` (its own policies). */
function permissionCheck(
  aws: AwsClients,
  roleArn: string,
  what: string,
  actions: string[],
  resources: string[],
): Check {
  return check(
    'execution role may',
    what,
    async () => {
      const result = await aws.iam.simulatePrincipalPolicy({
        PolicySourceArn: roleArn,
        ActionNames: actions,
        ResourceArns: resources,
      });
      const denied = (result.EvaluationResults ?? []).filter((r) => r.EvalDecision !== 'allowed');
      if (denied.length) {
        const list = denied.map((r) => `${r.EvalActionName} on ${r.EvalResourceName}`).join(', ');
        throw new OpsError('NOT_FOUND', `denied: ${list}`);
      }
      return `${actions.join(', ')} allowed`;
    },
    `is denied ${actions.join(', ')}: tasks would fail to start`,
  );
}

/**
 * What a deploy of `definition` needs before ECS tries it (ecspresso's verify): the container's
 * image exists in ECR, both roles exist, the log group exists, every Secrets Manager secret exists,
 * and the execution role may read those secrets, pull the image and write the log.
 */
export async function preflightChecks(
  aws: AwsClients,
  definition: TaskDefinition,
  container: ContainerDefinition,
  image: string,
): Promise<PreflightCheck[]> {
  const secrets = (container.secrets ?? []).flatMap((s) => {
    const arn = secretArnOf(s.valueFrom ?? '');
    return arn ? [arn] : [];
  });
  const role = definition.executionRoleArn;
  const ecr = parseEcrImage(image);
  const group = container.logConfiguration?.options?.['awslogs-group'];
  const region = container.logConfiguration?.options?.['awslogs-region'] ?? aws.region;
  const account = role?.split(':')[4];
  const checks: Check[] = [
    imageCheck(aws, image),
    roleCheck(aws, 'execution role', role),
    roleCheck(aws, 'task role', definition.taskRoleArn),
    logGroupCheck(aws, container),
    ...[...new Set(secrets)].map((arn) => secretCheck(aws, arn)),
  ];
  if (role && secrets.length) {
    checks.push(
      permissionCheck(
        aws,
        role,
        `read ${secrets.length} secret(s)`,
        ['secretsmanager:GetSecretValue'],
        [...new Set(secrets)],
      ),
    );
  }
  if (role && ecr) {
    checks.push(
      permissionCheck(
        aws,
        role,
        `pull from ${ecr.repository}`,
        ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        [ecr.arn],
      ),
    );
  }
  if (role && group && account) {
    const arn = `arn:aws:logs:${region}:${account}:log-group:${group}:*`;
    checks.push(
      permissionCheck(
        aws,
        role,
        `write to ${group}`,
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [arn],
      ),
    );
  }
  return Promise.all(checks);
}
