import { Command } from 'commander';
import { z } from 'zod';

import { ExitCode } from '../lib/errors';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  probeHealth,
  probeLiveness,
  type ProbeResult,
} from '../lib/health-probe';
import { type Runtime } from '../lib/runtime';
import { parseOptions } from '../lib/settings';
import { type CommandFactory, printJson } from './common';

const optionsSchema = z.object({
  url: z.url({
    protocol: /^https?$/,
    error: 'must be an http(s) URL such as http://localhost:3000',
  }),
  timeout: z.coerce.number().int().min(1).max(120_000).default(DEFAULT_PROBE_TIMEOUT_MS),
  json: z.boolean().default(false),
});

export async function runSmoke(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const results: ProbeResult[] = await Promise.all([
    probeHealth(options.url, options.timeout),
    probeLiveness(options.url, options.timeout),
  ]);
  const ok = results.every((r) => r.ok);
  if (options.json) {
    printJson(runtime, { schemaVersion: 1, url: options.url, ok, checks: results });
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
    .argument('<url>', 'base URL of the API, e.g. http://localhost:3000 or the ALB URL')
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds',
      String(DEFAULT_PROBE_TIMEOUT_MS),
    )
    .option('--json', 'print the checks as JSON')
    .action(async (url: string, opts: Record<string, unknown>) =>
      setExitCode(await runSmoke({ ...opts, url }, runtime)),
    );
