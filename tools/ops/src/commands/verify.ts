import { Command } from 'commander';
import { z } from 'zod';

import { type AwsClients } from '../lib/aws';
import { renderDiagnostics } from '../lib/diagnostics';
import { ExitCode, OpsError } from '../lib/errors';
import {
  type ExpectedRevision,
  type VerifyOptions,
  type VerifyResult,
  verifyDeployment,
} from '../lib/rollout';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, type Target, targetOptionsSchema } from '../lib/settings';
import { parseTaskDefinitionRef } from '../lib/task-definitions';
import {
  type CommandFactory,
  httpUrl,
  printJson,
  readCaFile,
  serviceUrl,
  withTargetOptions,
} from './common';

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 600;
export const DEFAULT_VERIFY_INTERVAL_SECONDS = 5;

/** Options shared by `verify` and `rollback` (which verifies after updating). */
export const waitOptionsSchema = z.object({
  timeout: z.coerce.number().min(0).max(7200).default(DEFAULT_VERIFY_TIMEOUT_SECONDS),
  // A zero interval would poll AWS as fast as it answers (and be throttled for it).
  interval: z.coerce.number().min(1).max(300).default(DEFAULT_VERIFY_INTERVAL_SECONDS),
  url: httpUrl.optional(),
  ca: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

const optionsSchema = targetOptionsSchema.extend(waitOptionsSchema.shape).extend({
  revision: z.coerce.number().int().min(1).optional(),
  taskDefinition: z
    .string()
    .refine((v) => parseTaskDefinitionRef(v) !== undefined, {
      error: 'must be a task definition ARN or family:revision',
    })
    .optional(),
});

export function toVerifyOptions(options: z.output<typeof waitOptionsSchema>): VerifyOptions {
  return {
    timeoutMs: options.timeout * 1000,
    intervalMs: options.interval * 1000,
    url: options.url,
    ca: readCaFile(options.ca),
  };
}

/** `--task-definition` names family and revision; `--revision` only the number. */
function expectedRevision(options: z.output<typeof optionsSchema>): ExpectedRevision | undefined {
  const ref = options.taskDefinition ? parseTaskDefinitionRef(options.taskDefinition) : undefined;
  if (ref && options.revision !== undefined && ref.revision !== options.revision) {
    throw new OpsError(
      'USAGE',
      `Invalid options: --revision ${options.revision} and --task-definition ${options.taskDefinition} disagree.`,
      { suggestion: 'Pass one of them.' },
    );
  }
  if (ref) return { family: ref.family, revision: ref.revision };
  return options.revision === undefined ? undefined : { revision: options.revision };
}

/** Runs the wait and prints its verdict: text with diagnostics, or the result as JSON. */
export async function verifyAndReport(
  aws: AwsClients,
  target: Target,
  runtime: Runtime,
  options: VerifyOptions,
  json: boolean,
): Promise<number> {
  const result = await verifyDeployment(aws, target.names, runtime, options);
  if (json) printJson(runtime, { schemaVersion: 1, environment: target.environment, ...result });
  else printVerify(runtime, result);
  return result.ok ? ExitCode.OK : ExitCode.FAILED;
}

function printVerify(runtime: Runtime, result: VerifyResult): void {
  const out = (line: string) => runtime.io.out(line);
  out(`${result.ok ? '✓' : '✗'} ${result.message}`);
  if (result.probe && !result.probe.ok) {
    out(`  GET ${result.probe.url}: ${result.probe.problems.join('; ')}`);
  }
  if (result.diagnostics) renderDiagnostics(result.diagnostics).forEach(out);
}

export async function runVerify(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const verify = { ...toVerifyOptions(options), expected: expectedRevision(options) };
  const url = await serviceUrl(runtime, aws, target, options.url);
  return verifyAndReport(aws, target, runtime, { ...verify, url }, options.json);
}

export const verifyCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('verify')
      .description(
        'Wait for the newest deployment to complete with every target healthy and /health valid; explain failures',
      )
      .option(
        '--timeout <seconds>',
        'give up after this long',
        String(DEFAULT_VERIFY_TIMEOUT_SECONDS),
      )
      .option('--interval <seconds>', 'time between polls', String(DEFAULT_VERIFY_INTERVAL_SECONDS))
      .option(
        '--url <url>',
        "the service's URL for /health (default: the applied stack's service_url output, else http:// + an internet-facing ALB's DNS name)",
      )
      .option(
        '--ca <file>',
        'PEM CA certificate to trust for an https --url (also: NODE_EXTRA_CA_CERTS)',
      )
      .option('--revision <n>', 'succeed only when this task definition revision is deployed')
      .option('--task-definition <arn>', 'the same, as a task definition ARN or family:revision')
      .option('--json', 'print the result as JSON'),
  ).action(async (opts) => setExitCode(await runVerify(opts, runtime)));
