import { Command } from 'commander';
import { z } from 'zod';

import { applyCleanup, type CleanupFailure, planCleanup } from '../lib/cleanup-plan';
import { ExitCode } from '../lib/errors';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { renderTable } from '../lib/table';
import { type CommandFactory, printJson, withTargetOptions } from './common';

export const DEFAULT_KEEP = 10;

const optionsSchema = targetOptionsSchema.extend({
  keep: z.coerce.number().int().min(1).max(1000).default(DEFAULT_KEEP),
  apply: z.boolean().default(false),
  json: z.boolean().default(false),
});

export async function runCleanup(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const plan = await planCleanup(aws, target.names, options.keep);
  let result: { deleted: number; failures: CleanupFailure[] } | null = null;
  if (options.apply && (plan.revisions.length || plan.images.length)) {
    const progress = runtime.io.progress('Deleting...');
    result = await applyCleanup(aws, target.names, plan);
    if (result.failures.length) progress.fail(`${result.failures.length} deletion(s) failed.`);
    else progress.succeed(`Deleted ${result.deleted} item(s).`);
  }

  if (options.json) {
    printJson(runtime, {
      schemaVersion: 1,
      environment: target.environment,
      applied: options.apply,
      ...plan,
      result,
    });
  } else {
    const out = (line: string) => runtime.io.out(line);
    out(
      `Task definitions of ${target.names.taskFamily}: keeping ${plan.keptRevisions.join(', ') || 'none'}`,
    );
    renderTable(
      ['revision', 'status', 'action'],
      plan.revisions.map((r) => [
        r.label,
        r.status,
        r.status === 'ACTIVE' ? 'deregister, delete' : 'delete',
      ]),
    ).forEach((l) => out(`  ${l}`));
    out(`Images in ${target.names.ecrRepository}: keeping ${plan.keptImages}`);
    renderTable(
      ['digest', 'tags', 'pushed', 'why'],
      plan.images.map((i) => [i.digest, i.tags.join(',') || '-', i.pushedAt ?? '?', i.reason]),
    ).forEach((l) => out(`  ${l}`));
    if (!options.apply) {
      out(
        `Dry run: ${plan.revisions.length} revision(s) and ${plan.images.length} image(s) would be deleted; pass --apply to delete them.`,
      );
    } else if (result) {
      out(`Deleted ${result.deleted} item(s); ${result.failures.length} failure(s).`);
      for (const f of result.failures) out(`  ✗ ${f.action} ${f.item}: ${f.reason}`);
    } else {
      out('Nothing to delete.');
    }
  }
  return result?.failures.length ? ExitCode.FAILED : ExitCode.OK;
}

export const cleanupCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('cleanup')
      .description(
        'List (and with --apply delete) task definition revisions and ECR images beyond --keep; dry run by default',
      )
      .option('--keep <n>', 'newest revisions and tagged images to keep', String(DEFAULT_KEEP))
      .option('--apply', 'really delete (default: dry run)')
      .option('--json', 'print the plan and result as JSON'),
  ).action(async (opts) => setExitCode(await runCleanup(opts, runtime)));
