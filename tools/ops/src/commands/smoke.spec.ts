import { healthySample, livenessSample, unhealthySample } from '@prod-e/health-contract/testing';

import { startHealthServer } from '../../test/health-server';
import { testRuntime } from '../../test/runtime';
import { ExitCode } from '../lib/errors';
import { run } from '../main';

describe('smoke', () => {
  let server: Awaited<ReturnType<typeof startHealthServer>>;

  beforeAll(async () => {
    server = await startHealthServer({});
  });
  afterAll(() => server.close());

  beforeEach(() => {
    server.replies['/health'] = { status: 200, body: healthySample };
    server.replies['/health/live'] = { status: 200, body: livenessSample };
  });

  it('exits 0 when both endpoints answer 200 with contract-valid bodies, printing status and latency', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', server.url], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout).toEqual([
      expect.stringMatching(/^✓ GET \/health 200 \d+ ms$/),
      expect.stringMatching(/^✓ GET \/health\/live 200 \d+ ms$/),
    ]);
  });

  it('exits 1 when /health reports the database down with 503', async () => {
    server.replies['/health'] = { status: 503, body: unhealthySample };
    const runtime = testRuntime();

    const code = await run(['smoke', server.url, '--json'], runtime);

    expect(code).toBe(ExitCode.FAILED);
    const report = JSON.parse(runtime.stdout.join('\n'));
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({
      path: '/health',
      status: 503,
      ok: false,
      problems: ['HTTP 503 (expected 200)', 'status is "error"'],
    });
    expect(report.checks[1]).toMatchObject({ path: '/health/live', ok: true });
  });

  it('exits 1 when a body breaks the contract, naming the bad fields', async () => {
    server.replies['/health/live'] = { status: 200, body: { status: 'fine' } };
    const runtime = testRuntime();

    const code = await run(['smoke', `${server.url}/`], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[1]).toMatch(
      /^✗ GET \/health\/live 200 \d+ ms: contract: status: .*; contract: timestamp: /,
    );
  });

  it('exits 1 when the body is not JSON', async () => {
    server.replies['/health'] = { status: 200, body: '<html>ok</html>' };
    const runtime = testRuntime();

    const code = await run(['smoke', server.url], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toMatch(/contract: body is not valid JSON$/);
  });

  it('exits 1 when nothing listens', async () => {
    const closed = await startHealthServer({});
    await closed.close();
    const runtime = testRuntime();

    const code = await run(['smoke', closed.url], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toMatch(/^✗ GET \/health --- \d+ ms: ECONNREFUSED$/);
  });

  it('exits 64 for a URL that is not http(s)', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', 'ftp://example.com'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe(
      'Error: Invalid option: --url must be an http(s) URL such as http://localhost:3000.',
    );
  });
});
