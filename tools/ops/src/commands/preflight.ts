import { Command } from 'commander';
import { z } from 'zod';

import { type AwsClients } from '../lib/aws';
import { ExitCode, OpsError } from '../lib/errors';
import { type PreflightCheck, preflightChecks } from '../lib/preflight';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, type Target, targetOptionsSchema } from '../lib/settings';
import { renderTable } from '../lib/table';
import {
  listRevisions,
  parseTaskDefinitionRef,
  type TaskDefinitionRef,
  taskDefinitionLabel,
} from '../lib/task-definitions';
import { type CommandFactory, printJson, withTargetOptions } from './common';

const optionsSchema = targetOptionsSchema.extend({
  taskDefinition: z
    .string()
    .refine((v) => parseTaskDefinitionRef(v) !== undefined, {
      error: 'must be a task definition ARN or family:revision',
    })
    .optional(),
  imageTag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/, { error: 'must be a Docker image tag' })
    .optional(),
  json: z.boolean().default(false),
});

/** `--task-definition`, else the family's newest ACTIVE revision (what a deploy just registered). */
async function chooseRevision(
  aws: AwsClients,
  target: Target,
  given: string | undefined,
): Promise<string> {
  if (given) return given;
  const [newest]: TaskDefinitionRef[] = await listRevisions(
    aws.ecs,
    target.names.taskFamily,
    'ACTIVE',
  );
  if (!newest) {
    throw new OpsError(
      'NOT_FOUND',
      `Task definition family ${target.names.taskFamily} has no ACTIVE revision in ${target.region}.`,
      { suggestion: 'Pass --task-definition, or check --env and --region.' },
    );
  }
  return newest.arn ?? taskDefinitionLabel(newest);
}

/** The image to check: the container's, with `--image-tag` swapped in (the tag about to deploy). */
function imageToCheck(image: string, tag: string | undefined): string {
  if (!tag) return image;
  const base = image.replace(/@.*$/, '');
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  return `${colon > slash ? base.slice(0, colon) : base}:${tag}`;
}

const SYMBOL: Record<PreflightCheck['status'], string> = { pass: '✓', fail: '✗', unknown: '?' };

export async function runPreflight(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const arn = await chooseRevision(aws, target, options.taskDefinition);
  const definition = (await aws.ecs.describeTaskDefinition({ taskDefinition: arn })).taskDefinition;
  const container = definition?.containerDefinitions?.find(
    (c) => c.name === target.names.container,
  );
  if (!definition || !container?.image) {
    throw new OpsError(
      'NOT_FOUND',
      `Task definition ${arn} has no container ${target.names.container} with an image.`,
    );
  }
  const image = imageToCheck(container.image, options.imageTag);
  const checks = await preflightChecks(aws, definition, container, image);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const label = `${definition.family}:${definition.revision}`;
  if (options.json) {
    printJson(runtime, {
      schemaVersion: 1,
      environment: target.environment,
      taskDefinition: label,
      ok: failed === 0,
      checks,
    });
  } else {
    runtime.io.out(`Preflight of ${label} (${target.environment}, ${target.region}):`);
    renderTable(
      ['', 'check', 'subject', 'detail'],
      checks.map((c) => [SYMBOL[c.status], c.check, c.subject, c.detail]),
    )
      .slice(1)
      .forEach((line) => runtime.io.out(`  ${line}`));
    const unknown = checks.filter((c) => c.status === 'unknown').length;
    runtime.io.out(
      failed
        ? `${failed} of ${checks.length} checks failed: the deploy would not start tasks.`
        : `All ${checks.length - unknown} checks passed${unknown ? ` (${unknown} could not be checked)` : ''}.`,
    );
  }
  return failed ? ExitCode.FAILED : ExitCode.OK;
}

export const preflightCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('preflight')
      .description(
        "Before a deploy: the image exists in ECR; the task definition's roles, log group and secrets exist and the execution role may use them",
      )
      .option(
        '--task-definition <arn>',
        'task definition ARN or family:revision (default: the newest ACTIVE revision)',
      )
      .option('--image-tag <tag>', "check this tag of the container's repository instead")
      .option('--json', 'print the checks as JSON'),
  ).action(async (opts) => setExitCode(await runPreflight(opts, runtime)));
