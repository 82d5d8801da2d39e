import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

import { logsMock, resetAwsMocks } from '../../test/mock-aws';
import { NOW, testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';
import { filterPattern } from './logs';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const STREAM = `prod-e-container/prod-e-container/${TASK_ID}`;
const pino = (time: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 30, time, pid: 1, hostname: 'ip-10-0-10-11', msg, ...extra });

describe('logs', () => {
  beforeEach(() => resetAwsMocks());

  it('reads every page since --since and renders pino lines readably', async () => {
    logsMock
      .on(FilterLogEventsCommand)
      .resolvesOnce({
        events: [
          {
            eventId: '1',
            timestamp: NOW - 60_000,
            logStreamName: STREAM,
            message: pino(NOW - 60_000, 'request completed', {
              reqId: 'r-1',
              req: { method: 'GET', url: '/api/requests' },
              res: { statusCode: 200 },
              responseTime: 12,
            }),
          },
        ],
        nextToken: 'page-2',
      })
      .resolvesOnce({
        events: [
          {
            eventId: '2',
            timestamp: NOW - 30_000,
            logStreamName: STREAM,
            message: 'plain text line',
          },
        ],
      });
    const runtime = testRuntime();

    const code = await run(['logs', '--since', '2m'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout).toEqual([
      '2025-03-14T07:59:00.000Z INFO  [r-1] request completed (GET /api/requests 200 12ms)',
      '2025-03-14T07:59:30.000Z plain text line',
    ]);
    expect(logsMock).toHaveReceivedCommandTimes(FilterLogEventsCommand, 2);
    expect(logsMock).toHaveReceivedNthSpecificCommandWith(1, FilterLogEventsCommand, {
      logGroupName: '/ecs/prod-e-task',
      startTime: NOW - 120_000,
    });
    expect(logsMock).toHaveReceivedNthSpecificCommandWith(2, FilterLogEventsCommand, {
      nextToken: 'page-2',
    });
  });

  it('limits to one task stream and a quoted phrase, and prints raw JSON lines', async () => {
    logsMock.on(FilterLogEventsCommand).resolves({
      events: [
        {
          eventId: '1',
          timestamp: NOW - 1000,
          logStreamName: STREAM,
          message: '{"level":50,"msg":"connection refused"}',
        },
      ],
    });
    const runtime = testRuntime();

    await run(['logs', '--task', TASK_ID, '--filter', 'connection refused', '--json'], runtime);

    expect(logsMock).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logStreamNames: [STREAM],
      filterPattern: '"connection refused"',
    });
    expect(JSON.parse(runtime.stdout[0])).toEqual({
      time: '2025-03-14T07:59:59.000Z',
      stream: STREAM,
      taskId: TASK_ID,
      message: '{"level":50,"msg":"connection refused"}',
    });
  });

  it('follows: polls from the newest timestamp and never prints a line twice', async () => {
    const first = { eventId: '1', timestamp: NOW - 1000, logStreamName: STREAM, message: 'one' };
    const second = { eventId: '2', timestamp: NOW + 1000, logStreamName: STREAM, message: 'two' };
    logsMock
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [first] })
      .resolvesOnce({ events: [first] })
      .resolves({ events: [first, second] });
    const runtime = testRuntime({
      onSleep: (rt) => {
        if (rt.slept() >= 6000) rt.abort();
      },
    });

    const code = await run(['logs', '--follow', '--interval', '2'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout).toEqual([
      '2025-03-14T07:59:59.000Z one',
      '2025-03-14T08:00:01.000Z two',
    ]);
    expect(logsMock).toHaveReceivedCommandTimes(FilterLogEventsCommand, 3);
    expect(logsMock).toHaveReceivedNthSpecificCommandWith(2, FilterLogEventsCommand, {
      startTime: NOW - 1000,
    });
  });

  it('exits 64 for a bad --since', async () => {
    const runtime = testRuntime();

    const code = await run(['logs', '--since', 'yesterday'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe(
      'Error: Invalid option: --since must be a duration such as 30s, 15m, 2h or 1d.',
    );
  });

  it.each([
    ['timeout', '"timeout"'],
    ['{ $.level >= 50 }', '{ $.level >= 50 }'],
    ['"exact phrase"', '"exact phrase"'],
    ['?ERROR ?WARN', '?ERROR ?WARN'],
  ])('turns --filter %s into the pattern %s', (input, pattern) => {
    expect(filterPattern(input)).toBe(pattern);
  });
});
