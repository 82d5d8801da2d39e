import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

import type { TerraformJson } from '../policy';
import { adaptToProvider } from './compat';
import type { FakeAws } from './fake-aws';

const run = promisify(execFile);

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources per type, e.g. `{ aws_ecs_service: 1 }`. */
  readonly byType: Readonly<Record<string, number>>;
}

export interface OfflinePlanResult {
  readonly variant: string;
  readonly counts: PlanCounts;
  /** What the provider adaptation changed, one sentence each. */
  readonly leftOut: readonly string[];
  /** Warnings terraform printed during validate. */
  readonly warnings: readonly string[];
}

export interface OfflinePlanOptions {
  readonly terraform: string;
  readonly cliConfigFile: string;
  readonly providerVersion: string;
  readonly workDir: string;
  readonly fakeAws: FakeAws;
}

/** Thrown with terraform's own output when init, validate or plan fails. */
export class OfflinePlanError extends Error {
  override readonly name = 'OfflinePlanError';
}

/** The part of `terraform show -json`'s plan the counts read. */
const planSchema = z.object({
  resource_changes: z
    .array(
      z.object({
        type: z.string(),
        mode: z.string(),
        change: z.object({ actions: z.array(z.string()) }),
      }),
    )
    .optional(),
});

function countsOf(plan: z.infer<typeof planSchema>): PlanCounts {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const byType: Record<string, number> = {};
  for (const resource of plan.resource_changes ?? []) {
    if (resource.mode !== 'managed') continue;
    const actions = resource.change.actions;
    if (actions.includes('create')) add++;
    if (actions.includes('delete')) destroy++;
    if (actions.includes('update')) change++;
    byType[resource.type] = (byType[resource.type] ?? 0) + 1;
  }
  return { add, change, destroy, byType };
}

/**
 * `terraform init -backend=false`, `validate` and `plan -refresh=false` on one synthesized stack,
 * offline: providers from the mirror, AWS calls answered by the fake endpoint.
 */
export async function offlinePlan(
  variant: string,
  stack: TerraformJson,
  options: OfflinePlanOptions,
): Promise<OfflinePlanResult> {
  const dir = path.join(options.workDir, variant);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { json, leftOut } = adaptToProvider(stack, options.providerVersion);
  writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  const env = {
    ...process.env,
    ...options.fakeAws.env,
    TF_CLI_CONFIG_FILE: options.cliConfigFile,
    TF_IN_AUTOMATION: 'true',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  const terraform = async (args: string[]) => {
    try {
      return await run(options.terraform, [...args, '-no-color'], {
        cwd: dir,
        env,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new OfflinePlanError(
        `${variant}: terraform ${args[0]} failed:\n${stderr ?? ''}${stdout ?? ''}`.trim(),
      );
    }
  };
  await terraform(['init', '-backend=false', '-input=false']);
  const validated = await terraform(['validate']);
  await terraform(['plan', '-refresh=false', '-input=false', '-lock=false', '-out=plan.bin']);
  const shown = await terraform(['show', '-json', 'plan.bin']);
  const warnings = [...`${validated.stdout}${validated.stderr}`.matchAll(/Warning: (.+)/g)].map(
    (m) => m[1],
  );
  return {
    variant,
    counts: countsOf(planSchema.parse(JSON.parse(shown.stdout))),
    leftOut,
    warnings,
  };
}
