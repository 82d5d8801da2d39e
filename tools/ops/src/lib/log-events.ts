import { type ResourceNames } from '@prod-e/deployment';

import { type LogsApi } from './aws';
import { OpsError } from './errors';
import { type LogLine } from './log-format';
import { allPages } from './paginate';

/** The awslogs stream of one task's container: `<prefix>/<container>/<task id>`. */
export function taskLogStream(names: ResourceNames, taskId: string): string {
  return `${names.logStreamPrefix}/${names.container}/${taskId}`;
}

export interface LogQuery {
  logGroupName: string;
  startTime: number;
  endTime?: number;
  filterPattern?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
}

/** Every matching event from FilterLogEvents, following nextToken through all pages. */
export async function filterLogs(logs: LogsApi, query: LogQuery): Promise<LogLine[]> {
  const pages = await allPages(
    (nextToken) => logs.filterLogEvents({ ...query, nextToken }),
    (page) => page.nextToken,
  );
  const lines: LogLine[] = [];
  const seen = new Set<string>();
  for (const event of pages.flatMap((page) => page.events ?? [])) {
    if (event.eventId && seen.has(event.eventId)) continue;
    if (event.eventId) seen.add(event.eventId);
    lines.push({
      timestamp: event.timestamp ?? 0,
      stream: event.logStreamName ?? '',
      message: event.message ?? '',
      eventId: event.eventId,
    });
  }
  return lines;
}

/**
 * Reads a task's stream forward from a token; returns the lines and the token to continue from.
 * A stream that does not exist yet (the container never started) yields nothing.
 */
export async function readTaskStream(
  logs: LogsApi,
  names: ResourceNames,
  taskId: string,
  from: { nextToken?: string; limit?: number; tail?: boolean } = {},
): Promise<{ lines: LogLine[]; nextToken?: string; missing: boolean }> {
  const stream = taskLogStream(names, taskId);
  try {
    const page = await logs.getLogEvents({
      logGroupName: names.logGroup,
      logStreamName: stream,
      startFromHead: !from.tail,
      nextToken: from.nextToken,
      limit: from.limit,
    });
    return {
      lines: (page.events ?? []).map((e) => ({
        timestamp: e.timestamp ?? 0,
        stream,
        message: e.message ?? '',
      })),
      nextToken: page.nextForwardToken ?? from.nextToken,
      missing: false,
    };
  } catch (error) {
    if (error instanceof OpsError && error.code === 'NOT_FOUND') {
      return { lines: [], nextToken: from.nextToken, missing: true };
    }
    throw error;
  }
}
