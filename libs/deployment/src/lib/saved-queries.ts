/**
 * The saved CloudWatch Logs Insights queries, one per runbook symptom (docs/ops.md): the stack
 * creates them (apps/infra, query-definitions.ts) and `prod-e logs --query <id>` runs them by
 * these ids.
 */
export const SAVED_QUERIES = {
  'errors-by-route': '5xx responses per method and path',
  'slow-requests': 'the slowest requests, over the latency threshold',
  'crash-reasons': 'errors and fatal lines before a task exited (exit code 1 or 137)',
  'database-disconnected':
    'minutes in which the database probe failed or the database was unreachable',
  'request-story': 'every line of one request id, in order',
} as const;

export type SavedQueryId = keyof typeof SAVED_QUERIES;

export const SAVED_QUERY_IDS = Object.keys(SAVED_QUERIES) as SavedQueryId[];

/**
 * Stands for the request id in a saved query's text: the console user replaces it, and
 * `prod-e logs --query request-story --request-id <id>` substitutes it.
 */
export const REQUEST_ID_PLACEHOLDER = '<request-id>';

/** Request ids the API accepts (and so logs): the only text ever put in a query. */
export const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** A query's name: `<stack>/<id>`, so the console shows each environment's queries in a folder. */
export function savedQueryNames(stack: string): Readonly<Record<SavedQueryId, string>> {
  return Object.fromEntries(SAVED_QUERY_IDS.map((id) => [id, `${stack}/${id}`])) as Record<
    SavedQueryId,
    string
  >;
}
