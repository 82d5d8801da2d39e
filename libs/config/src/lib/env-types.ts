import { z } from 'zod';

/** Reusable zod types for environment variables, which always arrive as strings. */

export const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

export const flag = () => z.stringbool({ error: 'must be true or false' });

/** A comma-separated list; blanks are dropped so `a,,b,` is `['a', 'b']`. */
export const commaList = () =>
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** Empty strings count as unset: ECS and .env files often define a variable with no value. */
export function withoutEmptyValues(env: Record<string, string | undefined>) {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
}
