import { healthySample, unhealthySample } from '@prod-e/health-contract/testing';

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';

import { renderSymptomTable } from '../src/lib/symptoms';
import { run } from '../src/main';
import { at, mockHealthyService } from './fixtures';
import { type HealthServer, startHealthServer } from './health-server';
import { awsError, cloudwatchMock, logsMock, resetAwsMocks, taggingMock } from './mock-aws';
import { NOW, type TestRuntime, testRuntime } from './runtime';
import {
  crashed,
  failedToStart,
  pullFailure,
  mockFailingHealthChecks,
  mockRolloutCompleting,
  mockRolloutEnding,
  rollingBack,
  rollingOut,
  scaleIn,
} from './scenarios';

/**
 * docs/ops.md shows what prod-e prints. Each `<!-- prod-e example: NAME -->` block there is the
 * real output of the CLI run here against the test fixtures (aws-sdk-client-mock and a local
 * /health server), so the runbook cannot drift from the tool. The local server's address and the
 * probe's latency are the only things rewritten. `UPDATE_RUNBOOK=1` rewrites the blocks.
 */
const RUNBOOK = join(__dirname, '..', '..', '..', 'docs', 'ops.md');
const SERVICE_URL = 'https://api.example.com';

let server: HealthServer;
const normalize = (text: string) =>
  text.replaceAll(server.url, SERVICE_URL).replace(/ in \d+ ms/g, ' in 4 ms');

async function cli(args: string[], onSleep?: (runtime: TestRuntime) => void): Promise<string> {
  const runtime = testRuntime({ onSleep });
  const code = await run(
    args.map((a) => (a === SERVICE_URL ? server.url : a)),
    runtime,
  );
  return normalize([`$ prod-e ${args.join(' ')}`, ...runtime.stdout, `(exit ${code})`].join('\n'));
}

const crashLog = (message: string) =>
  logsMock.on(GetLogEventsCommand).resolves({
    events: [
      {
        timestamp: NOW - 120_000,
        message: '{"level":30,"time":1741939080000,"msg":"Starting prod-e API"}',
      },
      { timestamp: NOW - 119_000, message },
    ],
  });

const EXAMPLES: Record<string, () => Promise<string>> = {
  status: async () => {
    taggingMock.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: ['prod-e-5xx', 'prod-e-cpu-high'].map((name) => ({
        ResourceARN: `arn:aws:cloudwatch:us-west-2:123456789012:alarm:${name}`,
      })),
    });
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: ['prod-e-5xx', 'prod-e-cpu-high'].map((AlarmName) => ({
        AlarmName,
        StateValue: 'OK',
        StateUpdatedTimestamp: at(600),
      })),
    });
    return cli(['status', '--url', SERVICE_URL]);
  },
  'status-database-down': async () => {
    server.replies['/health'] = { status: 503, body: unhealthySample };
    taggingMock
      .on(GetResourcesCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized', 403));
    return cli(['status', '--url', SERVICE_URL]);
  },
  'verify-success': async () => {
    mockRolloutCompleting(rollingOut);
    return cli(['verify', '--url', SERVICE_URL, '--revision', '13']);
  },
  'verify-image-pull': async () => {
    const failed = failedToStart([
      {
        createdAt: at(2),
        message:
          '(service prod-e-service) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
      },
      {
        createdAt: at(3),
        message: '(service prod-e-service) has started 1 tasks: (task task7).',
      },
    ]);
    mockRolloutEnding(
      failed,
      scaleIn('task5', 0),
      pullFailure('task7', 2),
      pullFailure('task8', 4),
      pullFailure('task9', 6),
    );
    logsMock
      .on(GetLogEventsCommand)
      .rejects(awsError('ResourceNotFoundException', 'The specified log stream does not exist.'));
    return cli(['verify', '--url', SERVICE_URL, '--revision', '13']);
  },
  'verify-health-checks': async () => {
    mockFailingHealthChecks();
    return cli(['verify', '--url', SERVICE_URL, '--revision', '13', '--timeout', '300']);
  },
  'verify-exit-1': async () => {
    mockRolloutEnding(rollingBack, crashed('task7', 1), crashed('task8', 1), crashed('task9', 1));
    crashLog(
      '{"level":60,"time":1741939081000,"msg":"Invalid API environment (1 problem): DATABASE_URL: Required"}',
    );
    return cli(['verify', '--url', SERVICE_URL, '--revision', '13']);
  },
  'verify-exit-137': async () => {
    mockRolloutEnding(
      rollingBack,
      crashed('task7', 137, 'OutOfMemoryError: Container killed due to memory usage'),
    );
    crashLog('{"level":30,"time":1741939081000,"msg":"Nest application successfully started"}');
    return cli(['verify', '--url', SERVICE_URL, '--revision', '13']);
  },
  'logs-follow': async () => {
    const stream = (id: string) => `prod-e-container/prod-e-container/${id}`;
    const a = stream('3f9c2a7e51d84b0c9e2f6a1b7c3d5e8f');
    const b = stream('8b1d4e6f2a3c4d5e9f0a1b2c3d4e5f6a');
    const line = (at: number, reqId: string, status: number, ms: number) =>
      JSON.stringify({
        level: 30,
        time: at,
        reqId,
        msg: 'request completed',
        req: { method: 'GET', url: '/api/requests' },
        res: { statusCode: status },
        responseTime: ms,
      });
    const events = [
      {
        eventId: '1',
        timestamp: NOW + 500,
        logStreamName: a,
        message: line(NOW + 500, 'req-1a', 200, 11),
        lag: 0,
      },
      {
        eventId: '2',
        timestamp: NOW + 900,
        logStreamName: b,
        message: line(NOW + 900, 'req-2b', 200, 14),
        lag: 4500,
      },
      {
        eventId: '3',
        timestamp: NOW + 2500,
        logStreamName: a,
        message: line(NOW + 2500, 'req-3a', 201, 23),
        lag: 0,
      },
      {
        eventId: '4',
        timestamp: NOW + 3100,
        logStreamName: b,
        message:
          '{"level":40,"time":' + (NOW + 3100) + ',"msg":"database ping slow","durationMs":812}',
        lag: 4500,
      },
    ];
    let now = NOW;
    logsMock.on(FilterLogEventsCommand).callsFake((input: { startTime: number }) => ({
      events: events
        .filter((e) => e.timestamp >= input.startTime && e.timestamp + e.lag <= now)
        .map(({ lag: _lag, ...e }) => e),
    }));
    const text = await cli(['logs', '--follow'], (runtime) => {
      now = runtime.clock.now();
      if (runtime.slept() >= 10_000) runtime.abort();
    });
    return text.replace('(exit 0)', '^C');
  },
};

describe('the runbook (docs/ops.md)', () => {
  const runbook = readFileSync(RUNBOOK, 'utf8');
  let updated = runbook;

  beforeAll(async () => {
    server = await startHealthServer({ '/health': { status: 200, body: healthySample } });
  });
  afterAll(async () => {
    await server.close();
    if (process.env.UPDATE_RUNBOOK && updated !== runbook) writeFileSync(RUNBOOK, updated);
  });
  beforeEach(() => {
    resetAwsMocks();
    mockHealthyService();
    server.replies['/health'] = { status: 200, body: healthySample };
  });

  it('renders the symptom table verify takes its next command from', () => {
    expect(runbook).toContain(renderSymptomTable().join('\n'));
  });

  it.each(Object.keys(EXAMPLES))('shows the real output of example %s', async (name) => {
    const output = await EXAMPLES[name]();
    // A block holds no backtick and is never empty (a new one holds a placeholder line).
    const block = new RegExp(
      `(<!-- prod-e example: ${name} -->\\n+\`\`\`text\\n)([^\`]+?)(\\n\`\`\`\\n)`,
    );
    expect(runbook).toMatch(block);
    updated = updated.replace(
      block,
      (_m, open: string, _old: string, close: string) => `${open}${output}${close}`,
    );
    expect(block.exec(runbook)?.[2]).toBe(output);
  });
});
