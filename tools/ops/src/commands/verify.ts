import { Command } from 'commander';
import { z } from 'zod';

import { type AwsClients } from '../lib/aws';
import { renderDiagnostics } from '../lib/diagnostics';
import { ExitCode } from '../lib/errors';
import { type VerifyOptions, type VerifyResult, verifyDeployment } from '../lib/rollout';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, type Target, targetOptionsSchema } from '../lib/settings';
import { type CommandFactory, printJson, withTargetOptions } from './common';

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 600;
export const DEFAULT_VERIFY_INTERVAL_SECONDS = 5;

/** Options shared by `verify` and `rollback` (which verifies after updating). */
export const waitOptionsSchema = z.object({
  timeout: z.coerce.number().min(0).max(7200).default(DEFAULT_VERIFY_TIMEOUT_SECONDS),
  interval: z.coerce.number().min(0).max(300).default(DEFAULT_VERIFY_INTERVAL_SECONDS),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  json: z.boolean().default(false),
});

const optionsSchema = targetOptionsSchema.extend(waitOptionsSchema.shape);

export function toVerifyOptions(options: z.output<typeof waitOptionsSchema>): VerifyOptions {
  return {
    timeoutMs: options.timeout * 1000,
    intervalMs: options.interval * 1000,
    url: options.url,
  };
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
  return verifyAndReport(
    runtime.aws(target),
    target,
    runtime,
    toVerifyOptions(options),
    options.json,
  );
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
      .option('--url <url>', 'base URL for /health (default: the ALB DNS name)')
      .option('--json', 'print the result as JSON'),
  ).action(async (opts) => setExitCode(await runVerify(opts, runtime)));
