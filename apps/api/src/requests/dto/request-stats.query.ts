import { z } from 'zod';

export const DEFAULT_STATS_WINDOW = '15m';
const MAX_WINDOW_SECONDS = 30 * 24 * 3600;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const WINDOW = /^([1-9]\d{0,6})([smhd])$/;
const WINDOW_ERROR = 'must be a duration such as 30s, 15m, 6h or 7d (at most 30d)';

/** Query of GET /api/requests/stats: `window` is how far back to look. */
export const requestStatsQuerySchema = z.strictObject({
  window: z
    .string({ error: WINDOW_ERROR })
    .default(DEFAULT_STATS_WINDOW)
    .transform((text, ctx) => {
      const match = WINDOW.exec(text);
      const seconds = match
        ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS]
        : NaN;
      if (!(seconds <= MAX_WINDOW_SECONDS)) {
        ctx.addIssue({ code: 'custom', message: WINDOW_ERROR });
        return z.NEVER;
      }
      return { text, seconds };
    }),
});

export type RequestStatsQuery = z.output<typeof requestStatsQuerySchema>;
