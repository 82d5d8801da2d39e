import type { QueryDefinition, ResultField } from '@aws-sdk/client-cloudwatch-logs';
import {
  REQUEST_ID_PATTERN,
  REQUEST_ID_PLACEHOLDER,
  type ResourceNames,
  SAVED_QUERY_IDS,
  type SavedQueryId,
} from '@prod-e/deployment';

import { type LogsApi } from './aws';
import { OpsError } from './errors';
import { pollUntil } from './poll';
import { type Clock } from './runtime';

/** How often GetQueryResults is asked while a query runs. */
export const QUERY_POLL_INTERVAL_MS = 1_000;

/** How long a query may run before `prod-e logs --query` gives up (Logs Insights allows 60 min). */
export const QUERY_TIMEOUT_MS = 5 * 60_000;

/** One result row: field name → value, without Logs Insights' internal `@ptr`. */
export type QueryRow = Readonly<Record<string, string>>;

export interface SavedQueryRun {
  readonly id: SavedQueryId;
  readonly name: string;
  readonly logGroupNames: readonly string[];
  readonly queryString: string;
  readonly status: string;
  readonly rows: readonly QueryRow[];
  /** Records scanned and matched, as CloudWatch reports them. */
  readonly statistics: { readonly recordsScanned?: number; readonly recordsMatched?: number };
}

export interface SavedQueryRequest {
  readonly names: ResourceNames;
  readonly id: string;
  readonly requestId?: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
  /** Give up (exit 1) when the query has not finished by then (clock ms). */
  readonly deadline: number;
}

/** The query id, checked against the ones the stack saves. */
export function savedQueryId(id: string): SavedQueryId {
  if ((SAVED_QUERY_IDS as readonly string[]).includes(id)) return id as SavedQueryId;
  throw new OpsError('USAGE', `Invalid options: --query: no saved query "${id}".`, {
    suggestion: `Pass one of ${SAVED_QUERY_IDS.join(', ')}.`,
  });
}

/** The query as the stack saved it: text and log groups come from AWS, never retyped here. */
async function findDefinition(logs: LogsApi, name: string): Promise<QueryDefinition> {
  let nextToken: string | undefined;
  do {
    const page = await logs.describeQueryDefinitions({
      queryDefinitionNamePrefix: name,
      nextToken,
    });
    const found = page.queryDefinitions?.find((definition) => definition.name === name);
    if (found) return found;
    nextToken = page.nextToken;
  } while (nextToken);
  throw new OpsError('NOT_FOUND', `No saved Logs Insights query named "${name}".`, {
    suggestion: 'Deploy the stack (nx run infra:deploy): it saves one query per runbook symptom.',
  });
}

/** The saved text with its request id filled in; an id that could end the string is refused. */
function queryText(definition: QueryDefinition, id: SavedQueryId, requestId?: string): string {
  const text = definition.queryString ?? '';
  if (!text.includes(REQUEST_ID_PLACEHOLDER)) return text;
  if (requestId === undefined) {
    throw new OpsError('USAGE', `Invalid options: --query ${id} needs --request-id <id>.`, {
      suggestion: 'Take the id from the response header x-request-id or a log line’s reqId.',
    });
  }
  if (!REQUEST_ID_PATTERN.test(requestId)) {
    throw new OpsError(
      'USAGE',
      'Invalid options: --request-id: must be 1-128 letters, digits, ".", ":", "_" or "-".',
      { suggestion: 'Pass the id exactly as x-request-id or reqId shows it.' },
    );
  }
  return text.replaceAll(REQUEST_ID_PLACEHOLDER, requestId);
}

const rowOf = (fields: readonly ResultField[]): QueryRow =>
  Object.fromEntries(
    fields
      .filter((field) => field.field !== undefined && field.field !== '@ptr')
      .map((field) => [field.field as string, field.value ?? '']),
  );

const FINISHED = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout']);

/**
 * Runs a saved query by id: looks it up by its stack name, starts it on the log groups it was
 * saved with (StartQuery), then polls GetQueryResults until CloudWatch says it finished.
 * A query that failed, was cancelled or timed out on CloudWatch's side fails the run.
 */
export async function runSavedQuery(
  logs: LogsApi,
  clock: Clock,
  signal: AbortSignal,
  request: SavedQueryRequest,
): Promise<SavedQueryRun> {
  const id = savedQueryId(request.id);
  const name = request.names.savedQueries[id];
  const definition = await findDefinition(logs, name);
  const queryString = queryText(definition, id, request.requestId);
  const logGroupNames = definition.logGroupNames?.length
    ? definition.logGroupNames
    : [request.names.logGroup];
  const { queryId } = await logs.startQuery({
    logGroupNames,
    queryString,
    startTime: Math.floor(request.startTime / 1000),
    endTime: Math.ceil(request.endTime / 1000),
  });
  const outcome = await pollUntil(
    clock,
    signal,
    { deadline: request.deadline, intervalMs: QUERY_POLL_INTERVAL_MS },
    async () => {
      const answer = await logs.getQueryResults({ queryId });
      return FINISHED.has(answer.status ?? '') ? answer : undefined;
    },
  );
  if (outcome.kind === 'aborted') throw new OpsError('INTERRUPTED', 'Interrupted.');
  if (outcome.kind === 'timeout') {
    throw new OpsError(
      'TIMEOUT',
      `Saved query ${name} did not finish in time (query ${queryId}).`,
      {
        suggestion: 'Narrow --since, or run it in the CloudWatch console (Logs Insights, Queries).',
      },
    );
  }
  const { status = 'Complete', results = [], statistics = {} } = outcome.value;
  if (status !== 'Complete') {
    throw new OpsError('CHECK_FAILED', `Saved query ${name} ended ${status} (query ${queryId}).`, {
      suggestion: 'Run it in the CloudWatch console to see why, or narrow --since.',
    });
  }
  return {
    id,
    name,
    logGroupNames,
    queryString,
    status,
    rows: results.map(rowOf).filter((row) => Object.keys(row).length > 0),
    statistics: {
      recordsScanned: statistics.recordsScanned,
      recordsMatched: statistics.recordsMatched,
    },
  };
}

/** Rows as a table: one column per field, in the order the first row that has it names it. */
export function queryTable(rows: readonly QueryRow[]): { headers: string[]; cells: string[][] } {
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return { headers, cells: rows.map((row) => headers.map((header) => row[header] ?? '')) };
}
