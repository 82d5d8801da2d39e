import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

import { at, mockStoppedTasks, task } from '../../test/fixtures';
import { awsError, logsMock, resetAwsMocks } from '../../test/mock-aws';
import { NOW, testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';
import { filterPattern, LATE_DELIVERY_WINDOW_MS } from './logs';

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
      '2025-03-14T07:59:00.000Z 01234567 INFO  [r-1] request completed (GET /api/requests 200 12ms)',
      '2025-03-14T07:59:30.000Z 01234567 plain text line',
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

  it('follows: re-reads the late-delivery window and never prints a line twice', async () => {
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
      '2025-03-14T07:59:59.000Z 01234567 one',
      '2025-03-14T08:00:01.000Z 01234567 two',
    ]);
    expect(logsMock).toHaveReceivedCommandTimes(FilterLogEventsCommand, 3);
    expect(logsMock).toHaveReceivedNthSpecificCommandWith(2, FilterLogEventsCommand, {
      startTime: NOW - LATE_DELIVERY_WINDOW_MS,
    });
  });

  describe('--follow with streams that deliver late', () => {
    const A = 'prod-e-container/prod-e-container/aaaaaaaa000000000000000000000000';
    const B = 'prod-e-container/prod-e-container/bbbbbbbb000000000000000000000000';
    /** One line a second on each stream; B's batches reach CloudWatch 4.5 s late. */
    const events = Array.from({ length: 26 }, (_, i) => [
      { eventId: `a${i}`, timestamp: NOW + i * 1000, logStreamName: A, message: `a ${i}`, lag: 0 },
      {
        eventId: `b${i}`,
        timestamp: NOW + i * 1000,
        logStreamName: B,
        message: `b ${i}`,
        lag: 4500,
      },
    ]).flat();

    it('prints every line of both streams exactly once', async () => {
      const runtime = testRuntime({
        onSleep: (rt) => {
          if (rt.slept() >= 40_000) rt.abort();
        },
      });
      logsMock.on(FilterLogEventsCommand).callsFake((input: { startTime: number }) => ({
        events: events
          .filter(
            (e) => e.timestamp >= input.startTime && e.timestamp + e.lag <= runtime.clock.now(),
          )
          .map(({ lag: _lag, ...event }) => event),
      }));

      const code = await run(['logs', '--follow', '--interval', '2', '--json'], runtime);

      expect(code).toBe(ExitCode.OK);
      const printed = runtime.stdout.map((l) => (JSON.parse(l) as { message: string }).message);
      expect(printed).toHaveLength(52);
      expect(new Set(printed).size).toBe(52);
    });

    it('keeps following through throttling and ends on a permanent error', async () => {
      logsMock
        .on(FilterLogEventsCommand)
        .resolvesOnce({ events: [events[0]] })
        .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
        .rejectsOnce(awsError('ServiceUnavailableException', 'Service unavailable', 503))
        .resolvesOnce({ events: [events[0], events[2]] })
        .rejects(
          awsError('AccessDeniedException', 'not authorized to perform logs:FilterLogEvents'),
        );
      const runtime = testRuntime();

      const code = await run(['logs', '--follow'], runtime);

      expect(code).toBe(ExitCode.ACCESS_DENIED);
      expect(runtime.stdout).toEqual([
        '2025-03-14T08:00:00.000Z aaaaaaaa a 0',
        '2025-03-14T08:00:01.000Z aaaaaaaa a 1',
      ]);
      expect(runtime.stderr[0]).toBe(
        'logs:FilterLogEvents failed: ThrottlingException: Rate exceeded Retrying in 2 s...',
      );
    });
  });

  it('--previous reads the last stopped task from its start and says how it stopped', async () => {
    mockStoppedTasks(
      task('task1', { lastStatus: 'STOPPED', startedAt: at(50), stoppedAt: at(40) }),
      task('task2', {
        lastStatus: 'STOPPED',
        startedAt: at(30),
        stoppedAt: at(29),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'prod-e-container', exitCode: 1 }],
      }),
    );
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const runtime = testRuntime();

    const code = await run(['logs', '--previous'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stderr).toEqual([
      'Logs of task task2, stopped 2025-03-14T07:31:00.000Z; EssentialContainerExited: Essential container in task exited; exit code 1.',
    ]);
    expect(logsMock).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logStreamNames: ['prod-e-container/prod-e-container/task2'],
      startTime: at(30).getTime(),
    });
  });

  it('--task with the short id that text lines print reads the stream by prefix', async () => {
    logsMock.on(FilterLogEventsCommand).resolves({ events: [] });
    const runtime = testRuntime();

    await run(['logs', '--task', '01234567'], runtime);

    expect(logsMock).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logStreamNamePrefix: 'prod-e-container/prod-e-container/01234567',
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
