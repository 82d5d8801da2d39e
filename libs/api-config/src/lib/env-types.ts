import { z } from 'zod';

/** Reusable zod types for environment variables, which always arrive as strings. */

/**
 * A whole number in [min, max], written in plain decimal digits only: `0x1005`, `1e3`, `+5`,
 * ` 5` and `4109.0` are errors, not numbers JavaScript's Number() happens to read.
 */
export const integer = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z
    .string({ error })
    .regex(/^[0-9]+$/, { error })
    .transform(Number)
    .pipe(z.number().min(min, { error }).max(max, { error }));
};

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
