import { healthySample, livenessSample, unhealthySample } from '@prod-e/health-contract/testing';

import { type HealthServer, startHealthServer } from '../../test/health-server';
import { createTestCa, type TestCa } from '../../test/test-ca';
import { testRuntime } from '../../test/runtime';
import { SERVICE_URL_OUTPUT } from '@prod-e/deployment';

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
    server.requests.length = 0;
  });

  it('probes the applied stack’s service_url output when no <url> is given', async () => {
    const runtime = testRuntime({ stackOutputs: { [SERVICE_URL_OUTPUT]: server.url } });

    const code = await run(['smoke', '--env', 'staging', '--json'], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(JSON.parse(runtime.stdout.join('\n'))).toMatchObject({ url: server.url, ok: true });
    expect([...server.requests].sort()).toEqual(['/health', '/health/live']);
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
    expect(runtime.stdout[0]).toMatch(
      /^✗ GET \/health --- \d+ ms: ECONNREFUSED: connect ECONNREFUSED/,
    );
  });

  it.each(['ftp://example.com', 'notaurl'])(
    'exits 64 for %s, naming the <url> argument (smoke has no --url option)',
    async (url) => {
      const runtime = testRuntime();

      const code = await run(['smoke', url], runtime);

      expect(code).toBe(ExitCode.USAGE);
      expect(runtime.stderr[0]).toBe(
        `Error: Invalid argument: <url> "${url}" must be an http(s) URL such as http://localhost:3000.`,
      );
    },
  );

  it('reports a redirect with its target instead of following it', async () => {
    server.replies['/health'] = {
      status: 301,
      body: '',
      headers: { location: 'https://api.example.com/health' },
    };
    const runtime = testRuntime();

    const code = await run(['smoke', server.url], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toMatch(
      /^✗ GET \/health 301 \d+ ms: HTTP 301 redirect to https:\/\/api\.example\.com\/health, not followed: pass --url/,
    );
    expect(server.requests).toEqual(['/health', '/health/live']);
  });
});

describe('smoke over https with a private CA', () => {
  let ca: TestCa;
  let good: HealthServer;
  let wrongName: HealthServer;

  beforeAll(async () => {
    ca = createTestCa();
    const replies = {
      '/health': { status: 200, body: healthySample },
      '/health/live': { status: 200, body: livenessSample },
    };
    good = await startHealthServer(replies, { ...ca.issue(['localhost']), host: 'localhost' });
    wrongName = await startHealthServer(replies, {
      ...ca.issue(['api.example.com']),
      host: 'localhost',
    });
  });
  afterAll(async () => {
    await Promise.all([good.close(), wrongName.close()]);
    ca.remove();
  });

  it('verifies the certificate against --ca and passes', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', good.url, '--ca', ca.caFile], runtime);

    expect(code).toBe(ExitCode.OK);
    expect(runtime.stdout[0]).toMatch(/^✓ GET \/health 200 \d+ ms$/);
  });

  it('rejects a certificate from an untrusted CA, saying how to trust it', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', good.url], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toMatch(
      /TLS certificate rejected \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .*pass --ca <pem> or set NODE_EXTRA_CA_CERTS$/,
    );
  });

  it('rejects a trusted certificate issued for another name', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', wrongName.url, '--ca', ca.caFile], runtime);

    expect(code).toBe(ExitCode.FAILED);
    expect(runtime.stdout[0]).toContain('TLS certificate rejected (ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('exits 64 when --ca is not a PEM file', async () => {
    const runtime = testRuntime();

    const code = await run(['smoke', good.url, '--ca', '/nonexistent.pem'], runtime);

    expect(code).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe(
      'Error: Invalid option: --ca /nonexistent.pem is not a readable PEM file.',
    );
  });
});
