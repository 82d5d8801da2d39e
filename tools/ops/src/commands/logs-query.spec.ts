import {
  DescribeQueryDefinitionsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { REQUEST_ID_PLACEHOLDER, resourceNames, SAVED_QUERY_IDS } from '@prod-e/deployment';

import { logsMock, resetAwsMocks } from '../../test/mock-aws';
import { NOW, testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

const LOG_GROUP = resourceNames('prod').logGroup;

/** The definition as the stack saves it (the CLI reads text and log groups from AWS). */
function savedQuery(id: (typeof SAVED_QUERY_IDS)[number], queryString: string, env = 'prod') {
  return {
    queryDefinitionId: `def-${id}`,
    name: resourceNames(env).savedQueries[id],
    queryString,
    logGroupNames: [resourceNames(env).logGroup],
  };
}

const ERRORS_BY_ROUTE =
  'fields req.method\n| filter res.statusCode >= 500\n| stats count(*) as errors';
const field = (name: string, value: string) => ({ field: name, value });

describe('logs --query', () => {
  beforeEach(() => resetAwsMocks());

  it('runs the saved query over --since on its log group, polling until it completes', async () => {
    // Arrange
    logsMock.on(DescribeQueryDefinitionsCommand).resolves({
      queryDefinitions: [
        { ...savedQuery('errors-by-route', 'other'), name: 'prod-e/errors-by-route-old' },
        savedQuery('errors-by-route', ERRORS_BY_ROUTE),
      ],
    });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logsMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running', results: [] })
      .resolvesOnce({
        status: 'Complete',
        statistics: { recordsScanned: 1200, recordsMatched: 7 },
        results: [
          [field('req.method', 'GET'), field('path', '/api/requests'), field('errors', '5')],
          [field('req.method', 'GET'), field('path', '/api/requests/stats'), field('errors', '2')],
          [field('@ptr', 'internal')],
        ],
      });
    const runtime = testRuntime();

    // Act
    const code = await run(['logs', '--query', 'errors-by-route', '--since', '1h'], runtime);

    // Assert
    expect(code).toBe(ExitCode.OK);
    expect(logsMock).toHaveReceivedCommandWith(DescribeQueryDefinitionsCommand, {
      queryDefinitionNamePrefix: 'prod-e/errors-by-route',
    });
    expect(logsMock).toHaveReceivedCommandWith(StartQueryCommand, {
      logGroupNames: [LOG_GROUP],
      queryString: ERRORS_BY_ROUTE,
      startTime: Math.floor((NOW - 3_600_000) / 1000),
      endTime: Math.ceil(NOW / 1000),
    });
    expect(logsMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 2);
    expect(runtime.stdout).toEqual([
      'REQ.METHOD  PATH                 ERRORS',
      'GET         /api/requests        5',
      'GET         /api/requests/stats  2',
    ]);
    expect(runtime.stderr.join('\n')).toContain('prod-e/errors-by-route: 2 row(s), 1200 records');
  });

  it('fills the request id into request-story and prints rows as JSON lines', async () => {
    logsMock.on(DescribeQueryDefinitionsCommand).resolves({
      queryDefinitions: [
        savedQuery('request-story', `fields msg\n| filter reqId = "${REQUEST_ID_PLACEHOLDER}"`),
      ],
    });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    logsMock.on(GetQueryResultsCommand).resolves({
      status: 'Complete',
      results: [
        [field('@timestamp', '2025-03-14 07:59:00.000'), field('msg', 'request completed')],
      ],
    });
    const runtime = testRuntime();

    const code = await run(
      ['logs', '--query', 'request-story', '--request-id', 'abc-123', '--json'],
      runtime,
    );

    expect(code).toBe(ExitCode.OK);
    expect(logsMock).toHaveReceivedCommandWith(StartQueryCommand, {
      queryString: 'fields msg\n| filter reqId = "abc-123"',
    });
    expect(runtime.stdout.map((line) => JSON.parse(line) as unknown)).toEqual([
      { '@timestamp': '2025-03-14 07:59:00.000', msg: 'request completed' },
    ]);
  });

  it.each([
    [['--query', 'request-story'], /needs --request-id/],
    [['--query', 'request-story', '--request-id', 'x" or 1=1'], /--request-id: must be/],
  ])('refuses %j before starting a query', async (args, message) => {
    logsMock.on(DescribeQueryDefinitionsCommand).resolves({
      queryDefinitions: [savedQuery('request-story', `filter reqId = "${REQUEST_ID_PLACEHOLDER}"`)],
    });
    const runtime = testRuntime();

    const code = await run(['logs', ...args], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr.join('\n')).toMatch(message);
    expect(logsMock).toHaveReceivedCommandTimes(StartQueryCommand, 0);
  });

  it('names the saved queries when given another id, and refuses --follow with --query', async () => {
    const unknown = testRuntime();
    expect(await run(['logs', '--query', 'everything'], unknown)).toBe(ExitCode.USAGE);
    expect(unknown.stderr.join('\n')).toContain(SAVED_QUERY_IDS.join(', '));

    const follow = testRuntime();
    expect(await run(['logs', '--query', 'slow-requests', '--follow'], follow)).toBe(
      ExitCode.USAGE,
    );
    expect(follow.stderr.join('\n')).toContain('--follow do not apply');
    expect(logsMock).toHaveReceivedCommandTimes(DescribeQueryDefinitionsCommand, 0);
  });

  it('says the stack is not deployed when the query is not saved, per environment', async () => {
    logsMock.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: [] });
    const runtime = testRuntime();

    const code = await run(['logs', '--env', 'staging', '--query', 'crash-reasons'], runtime);

    expect(code).toBe(ExitCode.NOT_FOUND);
    expect(runtime.stderr.join('\n')).toContain('prod-e-staging/crash-reasons');
  });

  it('fails when CloudWatch ends the query other than Complete', async () => {
    logsMock.on(DescribeQueryDefinitionsCommand).resolves({
      queryDefinitions: [savedQuery('slow-requests', 'filter responseTime >= 1000')],
    });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q-3' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Timeout' });
    const runtime = testRuntime();

    const code = await run(['logs', '--query', 'slow-requests'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stderr.join('\n')).toContain('ended Timeout');
  });
});
