import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface ParameterProblem {
  readonly parameter: string;
  readonly message: string;
}

/** Names each bad parameter, including unknown ones (strict schemas). */
function problemsOf(error: z.ZodError): ParameterProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ parameter: key, message: 'is not a known parameter' }))
      : [{ parameter: issue.path.map(String).join('.') || '(query)', message: issue.message }],
  );
}

/**
 * Validates a request part (query string) with a zod schema: the parsed value, or a 400 whose
 * body names every bad parameter: `{ statusCode, error, message, problems: [{ parameter, message }] }`.
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const problems = problemsOf(result.error);
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid parameter${problems.length > 1 ? 's' : ''}: ${[
        ...new Set(problems.map((p) => p.parameter)),
      ].join(', ')}`,
      problems,
    });
  }
}
