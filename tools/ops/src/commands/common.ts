import { ENVIRONMENT_VARIABLE, PRIMARY_ENVIRONMENT, SERVICE_URL_OUTPUT } from '@prod-e/deployment';

import { readFileSync } from 'node:fs';

import { Command, Option } from 'commander';
import { z } from 'zod';

import { type AwsClients } from '../lib/aws';
import { OpsError } from '../lib/errors';
import { loadBalancerUrl } from '../lib/load-balancer';
import { type Runtime } from '../lib/runtime';
import { DEFAULT_CALL_TIMEOUT_SECONDS, type Target } from '../lib/settings';

/** Called by each action with the command's exit code. */
export type SetExitCode = (code: number) => void;

/** A command factory: main.ts registers what these return. */
export type CommandFactory = (runtime: Runtime, setExitCode: SetExitCode) => Command;

/** The options that say where to look: every AWS-facing command takes them. */
export function withTargetOptions(command: Command): Command {
  return command
    .option(
      '-e, --env <name>',
      `environment whose resources to use (default: ${ENVIRONMENT_VARIABLE}, else ${PRIMARY_ENVIRONMENT})`,
    )
    .option('-r, --region <region>', "AWS region (default: the environment's committed region)")
    .option('-p, --profile <name>', 'AWS profile from ~/.aws/config (default: provider chain)')
    .addOption(
      new Option('--call-timeout <seconds>', 'bound on each AWS API call').default(
        String(DEFAULT_CALL_TIMEOUT_SECONDS),
      ),
    );
}

/** JSON for scripts: two-space indent, one document on stdout. */
export function printJson(runtime: Runtime, value: unknown): void {
  runtime.io.out(JSON.stringify(value, null, 2));
}

/** A base URL the probes may GET: http or https only. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL such as https://api.example.com',
});

/** `--ca <file>`: PEM certificates trusted on top of Node's roots (and NODE_EXTRA_CA_CERTS). */
export function readCaFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    const pem = readFileSync(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (error) {
    throw new OpsError('USAGE', `Invalid option: --ca ${path} is not a readable PEM file.`, {
      suggestion: 'Pass the CA certificate (PEM) that signed the service’s certificate.',
      cause: error,
    });
  }
}

/**
 * The URL to probe: `--url`, else the applied stack's `service_url` output (https in every prod
 * TLS mode), else `http://` and the ALB's name, which only an internet-facing ALB answers.
 */
export async function serviceUrl(
  runtime: Runtime,
  aws: AwsClients,
  target: Target,
  url: string | undefined,
): Promise<string> {
  if (url) return url;
  const output = await runtime.stackOutput(target, SERVICE_URL_OUTPUT);
  if (output && httpUrl.safeParse(output).success) return output;
  return loadBalancerUrl(aws.elb, target.names);
}
