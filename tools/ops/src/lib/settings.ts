import { ConfigError } from '@prod-e/api-config';
import {
  deploymentInputFromEnv,
  deploymentSettingsSchema,
  ENVIRONMENT_NAME_PATTERN,
  PRIMARY_ENVIRONMENT,
  type ResourceNames,
  resourceNames,
} from '@prod-e/deployment';
import { z } from 'zod';

import { OpsError } from './errors';

/** Default bound for one AWS API call (retries included). */
export const DEFAULT_CALL_TIMEOUT_SECONDS = 20;

/** Options every AWS-facing command takes. */
export const targetOptionsSchema = z.object({
  env: z
    .string()
    .regex(ENVIRONMENT_NAME_PATTERN, {
      error: 'must be 2-10 lowercase letters or digits, starting with a letter',
    })
    .default(PRIMARY_ENVIRONMENT),
  region: z.string().optional(),
  profile: z.string().min(1).optional(),
  callTimeout: z.coerce.number().int().min(1).max(300).default(DEFAULT_CALL_TIMEOUT_SECONDS),
});

export type TargetOptions = z.input<typeof targetOptionsSchema>;

/** Where a command points: an environment's names in a region. */
export interface Target {
  readonly environment: string;
  readonly names: ResourceNames;
  readonly region: string;
  readonly profile?: string;
  readonly callTimeoutMs: number;
}

/**
 * Resolves the target. Region: `--region`, else the deployment settings' region
 * (`PROD_E_REGION`, then `AWS_REGION`, then the default us-west-2). Only the region is read from
 * the deployment settings: validating all of them would demand deploy-only keys (the prod image
 * tag) from someone who just wants to look.
 */
export function resolveTarget(
  options: z.output<typeof targetOptionsSchema>,
  env: Record<string, string | undefined>,
): Target {
  const region = deploymentSettingsSchema.shape.region.safeParse(
    options.region ?? deploymentInputFromEnv(env).region,
  );
  if (!region.success) {
    throw usageError(ConfigError.fromZod('options', region.error).problems, 'region');
  }
  return {
    environment: options.env,
    names: resourceNames(options.env),
    region: region.data,
    profile: options.profile,
    callTimeoutMs: options.callTimeout * 1000,
  };
}

/** Parses a command's options with its zod schema; every bad option is named at once. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw usageError(ConfigError.fromZod('options', result.error, 'variable').problems);
}

function usageError(problems: readonly { key: string; message: string }[], prefix?: string) {
  const list = problems
    .map((p) => `--${kebab(prefix && p.key === '(root)' ? prefix : p.key)} ${p.message}`)
    .join('; ');
  return new OpsError('USAGE', `Invalid option${problems.length === 1 ? '' : 's'}: ${list}.`, {
    suggestion: 'Run with --help to see the options and their defaults.',
  });
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `2h`, `30s`, `1d`, `500ms`; a bare number is seconds. */
export const durationMs = z.string().transform((text, ctx) => {
  const match = DURATION.exec(text.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 15m, 2h or 1d' });
    return z.NEVER;
  }
  return Number(match[1]) * UNIT_MS[match[2] ?? 's'];
});
