import type { z } from 'zod';

/** One bad or missing setting: the key (an env variable or a settings path) and why. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * Thrown by the loaders with every problem at once, so a deploy fails on the first try with the
 * whole list rather than one key per attempt. `message` is meant for people: print it, not the stack.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
    );
  }

  /**
   * @param keys `path` names nested keys (`availabilityZones.0`); `variable` names only the
   * top-level key, as environment variables have no structure for people to navigate.
   */
  static fromZod(
    source: string,
    error: z.ZodError,
    keys: 'path' | 'variable' = 'path',
  ): ConfigError {
    const problems = error.issues.map((issue) => ({
      key: issue.path.length
        ? (keys === 'variable' ? [issue.path[0]] : issue.path).join('.')
        : '(root)',
      message: issue.message,
    }));
    const unique = problems.filter(
      (p, i) => problems.findIndex((q) => q.key === p.key && q.message === p.message) === i,
    );
    return new ConfigError(source, unique);
  }
}
