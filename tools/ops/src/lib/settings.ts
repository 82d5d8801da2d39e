import { ConfigError } from '@prod-e/api-config';
import {
  committedSettingsFile,
  committedSettingsInput,
  DEFAULT_REGION,
  deploymentSettingsSchema,
  ENVIRONMENT_NAME_PATTERN,
  ENVIRONMENT_VARIABLE,
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
  /** @default PROD_E_ENVIRONMENT, else the primary environment (as the synth and deploy read it) */
  env: z
    .string()
    .regex(ENVIRONMENT_NAME_PATTERN, {
      error: 'must be 2-10 lowercase letters or digits, starting with a letter',
    })
    .optional(),
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
 * The deployment-settings variable for the region. The infra refuses it (settings are committed),
 * so ops refuses it too rather than look in a region the stack was never deployed to.
 */
export const REGION_VARIABLE = 'PROD_E_REGION';

/**
 * Resolves the target. Environment: `--env`, else PROD_E_ENVIRONMENT, else prod, as the synth and
 * the deploy scripts choose it. Region: `--region`, else the region the infra deploys the environment to
 * (its committed settings, as the synth reads them; AWS_REGION does not move a stack). Only the
 * region is read from the settings: validating all of them would demand deploy-only keys (the
 * prod image tag) from someone who just wants to look.
 */
export function resolveTarget(
  options: z.output<typeof targetOptionsSchema>,
  env: Record<string, string | undefined>,
): Target {
  const environment = options.env ?? (env[ENVIRONMENT_VARIABLE] || PRIMARY_ENVIRONMENT);
  if (env[REGION_VARIABLE]) {
    throw new OpsError(
      'USAGE',
      `${REGION_VARIABLE} is not read: the region is committed in ${committedSettingsFile(environment)}.`,
      { suggestion: `Unset ${REGION_VARIABLE}; pass --region to look in another region.` },
    );
  }
  const region = deploymentSettingsSchema.shape.region.safeParse(
    options.region ?? committedRegion(environment),
  );
  if (!region.success) {
    throw usageError(ConfigError.fromZod('options', region.error).problems, 'region');
  }
  return {
    environment,
    names: resourceNames(environment),
    region: region.data,
    profile: options.profile,
    callTimeoutMs: options.callTimeout * 1000,
  };
}

/** The committed environment's region; an environment that is not committed is a bad --env. */
function committedRegion(environment: string): string {
  try {
    return committedSettingsInput(environment).region ?? DEFAULT_REGION;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw usageError(error.problems.map((p) => ({ ...p, key: 'env' })));
  }
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
