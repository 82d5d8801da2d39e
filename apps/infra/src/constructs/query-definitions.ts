import { PROCESS_METRICS } from '@prod-e/api-config';
import { REQUEST_ID_PLACEHOLDER, type SavedQueryId } from '@prod-e/deployment';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import { Construct } from 'constructs';

/** What the crash query looks for besides error and fatal pino lines (level ≥ 50). */
const CRASH_PATTERNS = [
  'Invalid API environment', // config rejected: exit 1
  'api failed to start',
  'shutdown took longer', // drain overran: exit 1, or SIGKILL (137) at stopTimeout
  'shutdown failed',
  'SIGTERM received',
  'FATAL ERROR', // V8 out of heap before the OOM kill (137)
  'heap out of memory',
  'Uncaught',
];

/**
 * Logs Insights text per saved query. The container log holds pino JSON lines (level, msg,
 * reqId, req, res, responseTime in ms) and the API's EMF lines, which carry no `level`.
 */
export function savedQueryText(latencyThresholdMs: number): Record<SavedQueryId, string> {
  const probeFailures = PROCESS_METRICS.databaseProbeFailures.name;
  return {
    'errors-by-route': [
      'fields @timestamp, req.method, req.url, res.statusCode',
      'filter res.statusCode >= 500',
      'parse req.url /^(?<path>[^?]*)/',
      'stats count(*) as errors by req.method, path',
      'sort errors desc',
    ].join('\n| '),
    'slow-requests': [
      'fields @timestamp, reqId, req.method, req.url, res.statusCode, responseTime',
      `filter responseTime >= ${latencyThresholdMs}`,
      'sort responseTime desc',
      'limit 100',
    ].join('\n| '),
    'crash-reasons': [
      'fields @timestamp, @logStream, level, msg, err.message, @message',
      `filter level >= 50 or @message like /${CRASH_PATTERNS.join('|')}/`,
      'sort @timestamp desc',
      'limit 200',
    ].join('\n| '),
    'database-disconnected': [
      `fields @timestamp, @logStream, ${probeFailures}, msg`,
      `filter ${probeFailures} > 0 or (level >= 40 and msg like /database not reachable|request log write failed|ECONNREFUSED|Connection terminated/)`,
      `stats sum(${probeFailures}) as failedProbes, count(*) as lines by bin(1m)`,
    ].join('\n| '),
    'request-story': [
      'fields @timestamp, @logStream, level, msg, req.method, req.url, res.statusCode, responseTime, context',
      `filter reqId = "${REQUEST_ID_PLACEHOLDER}"`,
      'sort @timestamp asc',
    ].join('\n| '),
  };
}

export interface QueryDefinitionsProps {
  /** Saved query names by id (resourceNames().savedQueries). */
  readonly names: Readonly<Record<SavedQueryId, string>>;
  /** The container log group: the API's log lines and its EMF metrics. */
  readonly logGroupName: string;
  /** What counts as a slow request, milliseconds. */
  readonly latencyThresholdMs: number;
}

/** One saved Logs Insights query per runbook symptom, on the container log group. */
export class QueryDefinitions extends Construct {
  public readonly definitions: Record<SavedQueryId, CloudwatchQueryDefinition>;

  constructor(scope: Construct, id: string, props: QueryDefinitionsProps) {
    super(scope, id);
    const text = savedQueryText(props.latencyThresholdMs);
    this.definitions = Object.fromEntries(
      (Object.keys(text) as SavedQueryId[]).map((queryId) => [
        queryId,
        new CloudwatchQueryDefinition(this, queryId, {
          name: props.names[queryId],
          logGroupNames: [props.logGroupName],
          queryString: text[queryId],
        }),
      ]),
    ) as Record<SavedQueryId, CloudwatchQueryDefinition>;
  }
}
