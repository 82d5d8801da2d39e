import type { z } from 'zod';

import type { apiEnvSchema } from './api-config';

/** A variable the API reads: the schema's own keys, so a renamed key breaks the build. */
export type ApiEnvKey = keyof z.input<typeof apiEnvSchema>;

export interface TaskEnvironmentVariable {
  readonly name: ApiEnvKey;
  readonly value: string;
}

export interface TaskSecret {
  readonly name: ApiEnvKey;
  /** Secret ARN, optionally `<arn>:<json-key>::` for one key of a JSON secret. */
  readonly valueFrom: string;
}

const entries = <V>(values: Partial<Record<ApiEnvKey, V>>) =>
  (Object.entries(values) as [ApiEnvKey, V | undefined][])
    .filter((entry): entry is [ApiEnvKey, V] => entry[1] !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));

/** A container's plain environment for the API, keyed by the API schema. */
export function taskEnvironment(
  values: Partial<Record<ApiEnvKey, string>>,
): TaskEnvironmentVariable[] {
  return entries(values).map(([name, value]) => ({ name, value }));
}

/** A container's secrets for the API (ECS injects them as variables), keyed by the API schema. */
export function taskSecrets(values: Partial<Record<ApiEnvKey, string>>): TaskSecret[] {
  return entries(values).map(([name, valueFrom]) => ({ name, valueFrom }));
}
