import { Command } from 'commander';
import { z } from 'zod';

import { ExitCode } from '../lib/errors';
import { type InventoryRow, listTaggedResources, reconcile } from '../lib/inventory';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { renderCsv, renderTable } from '../lib/table';
import { type CommandFactory, printJson, withTargetOptions } from './common';

const optionsSchema = targetOptionsSchema
  .extend({ csv: z.boolean().default(false), json: z.boolean().default(false) })
  .refine((o) => !(o.csv && o.json), { error: 'cannot be combined with --json', path: ['csv'] });

const COLUMNS = ['status', 'kind', 'name', 'arn', 'note'] as const;

export async function runResources(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const progress = runtime.io.progress('Listing tagged resources...');
  const [identity, found] = await Promise.all([
    aws.sts.getCallerIdentity(),
    listTaggedResources(aws.tagging, target.environment),
  ]).catch((error: unknown) => {
    progress.fail('Could not list resources.');
    throw error;
  });
  const rows = reconcile(target.names, found);
  const count = (status: InventoryRow['status']) => rows.filter((r) => r.status === status).length;
  const summary = {
    found: found.length,
    ok: count('ok'),
    missing: count('missing'),
    unexpected: count('unexpected'),
    unverified: count('unverified'),
    other: count('other'),
  };
  progress.succeed(`${found.length} tagged resources.`);

  if (options.json) {
    printJson(runtime, {
      schemaVersion: 1,
      environment: target.environment,
      region: target.region,
      account: identity.Account ?? null,
      summary,
      resources: rows,
    });
  } else {
    const cells = rows.map((r) => COLUMNS.map((c) => r[c] ?? ''));
    const lines = options.csv ? renderCsv(COLUMNS, cells) : renderTable(COLUMNS, cells);
    lines.forEach((line) => runtime.io.out(line));
    if (!options.csv) {
      runtime.io.out(
        `\n${summary.found} tagged resources in ${identity.Account ?? '?'}/${target.region}: ` +
          `${summary.ok} expected present, ${summary.missing} missing, ${summary.unexpected} unexpected, ` +
          `${summary.unverified} unverified, ${summary.other} supporting.`,
      );
    }
  }
  return summary.missing ? ExitCode.FAILED : ExitCode.OK;
}

export const resourcesCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('resources')
      .description('List every resource tagged for the environment and check it against the stack')
      .option('--csv', 'print CSV (status,kind,name,arn,note)')
      .option('--json', 'print JSON (schemaVersion 1)'),
  ).action(async (opts) => setExitCode(await runResources(opts, runtime)));
