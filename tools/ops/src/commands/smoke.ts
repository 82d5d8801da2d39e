import { PRIMARY_ENVIRONMENT, SERVICE_URL_OUTPUT } from '@prod-e/deployment';

import { Command } from 'commander';
import { z } from 'zod';

import { ExitCode, OpsError } from '../lib/errors';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  probeHealth,
  probeLiveness,
  type ProbeResult,
} from '../lib/health-probe';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { type CommandFactory, httpUrl, printJson, readCaFile } from './common';

const optionsSchema = z.object({
  env: targetOptionsSchema.shape.env,
  timeout: z.coerce.number().int().min(1).max(120_000).default(DEFAULT_PROBE_TIMEOUT_MS),
  ca: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

/** The positional `<url>` is checked on its own, so its error names the argument, not an option. */
function parseUrl(url: string): string {
  const parsed = httpUrl.safeParse(url);
  if (parsed.success) return parsed.data;
  throw new OpsError(
    'USAGE',
    `Invalid argument: <url> ${JSON.stringify(url)} must be an http(s) URL such as http://localhost:3000.`,
    {
      suggestion: 'Run with --help to see the arguments and options.',
    },
  );
}

/** `<url>`, else the environment's applied stack's `service_url` output. */
async function baseUrl(
  url: string | undefined,
  options: z.output<typeof optionsSchema>,
  runtime: Runtime,
): Promise<string> {
  if (url !== undefined) return parseUrl(url);
  const target = resolveTarget(
    parseOptions(targetOptionsSchema, { env: options.env }),
    runtime.env,
  );
  const output = await runtime.stackOutput(target, SERVICE_URL_OUTPUT);
  if (output) return parseUrl(output);
  throw new OpsError(
    'USAGE',
    `No <url> given, and this checkout has no applied ${target.names.stack} stack to read ${SERVICE_URL_OUTPUT} from.`,
    {
      suggestion: `Pass the URL (e.g. \`prod-e smoke "$(terraform -chdir=apps/infra/cdktf.out/stacks/${target.names.stack} output -raw ${SERVICE_URL_OUTPUT})"\`), or run where infra:deploy ran.`,
    },
  );
}

export async function runSmoke(
  url: string | undefined,
  raw: unknown,
  runtime: Runtime,
): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const base = await baseUrl(url, options, runtime);
  const probe = { timeoutMs: options.timeout, ca: readCaFile(options.ca) };
  const results: ProbeResult[] = await Promise.all([
    probeHealth(base, probe),
    probeLiveness(base, probe),
  ]);
  const ok = results.every((r) => r.ok);
  if (options.json) {
    printJson(runtime, { schemaVersion: 1, url: base, ok, checks: results });
  } else {
    for (const r of results) {
      runtime.io.out(
        `${r.ok ? '✓' : '✗'} GET ${r.path} ${r.status ?? '---'} ${r.latencyMs} ms${r.ok ? '' : `: ${r.problems.join('; ')}`}`,
      );
    }
  }
  return ok ? ExitCode.OK : ExitCode.FAILED;
}

export const smokeCommand: CommandFactory = (runtime, setExitCode) =>
  new Command('smoke')
    .description(
      'GET <url>/health and <url>/health/live and check them against the health contract',
    )
    .argument(
      '[url]',
      "base URL of the API, e.g. http://localhost:3000 (default: the applied stack's service_url output)",
    )
    .option(
      '-e, --env <name>',
      'environment whose service_url to use without <url>',
      PRIMARY_ENVIRONMENT,
    )
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds',
      String(DEFAULT_PROBE_TIMEOUT_MS),
    )
    .option('--ca <file>', 'PEM CA certificate to trust for https (also: NODE_EXTRA_CA_CERTS)')
    .option('--json', 'print the checks as JSON')
    .action(async (url: string | undefined, opts: Record<string, unknown>) =>
      setExitCode(await runSmoke(url, opts, runtime)),
    );
