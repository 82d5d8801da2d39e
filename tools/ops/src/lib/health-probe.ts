import { HEALTH_PATH, LIVENESS_PATH, parseHealth, parseLiveness } from '@prod-e/health-contract';

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';

/** One GET against a health endpoint, judged against the shared contract. */
export interface ProbeResult {
  url: string;
  path: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  latencyMs: number;
  /** 200 with a body valid against the contract and reporting ok. */
  ok: boolean;
  /** Why it is not ok: transport error, HTTP status, contract problems. */
  problems: string[];
  body: unknown;
  /** Where a 3xx pointed: never followed, so a redirect to https is reported, not hidden. */
  redirect: string | null;
  /** Waiting cannot fix it (a redirect, a certificate the client rejects): fail at once. */
  permanent: boolean;
  /** The `database` field of a contract-valid `/health` body. */
  database: string | null;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export interface ProbeOptions {
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), on top of Node's roots and NODE_EXTRA_CA_CERTS. */
  ca?: string;
}

/** Joins a base URL (`http://alb-123.elb.amazonaws.com`, with or without a trailing path) and a path. */
export function endpointUrl(base: string, path: string): string {
  const url = new URL(base.includes('://') ? base : `http://${base}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url.toString();
}

/** TLS failures that mean "this client will never trust that server", not "try later". */
const CERTIFICATE_ERRORS =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;

interface RawAnswer {
  status: number;
  location: string | null;
  text: string;
}

function get(url: string, options: ProbeOptions, timeoutMs: number): Promise<RawAnswer> {
  const https = url.startsWith('https:');
  const send = https ? httpsRequest : httpRequest;
  // Node's http(s) never follows redirects: exactly what a verifier needs.
  const tls = https && options.ca ? { ca: [...rootCertificates, options.ca] } : {};
  return new Promise((resolve, reject) => {
    const req = send(url, { headers: { accept: 'application/json' }, ...tls }, (res) => {
      collect(res).then(
        (text) =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location ?? null,
            text,
          }),
        reject,
      );
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' }),
      ),
    );
    req.on('error', reject);
    req.end();
  });
}

async function collect(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function judge(url: string, path: string, answer: RawAnswer, parse: Parser, latencyMs: number) {
  const base = { url, path, status: answer.status, latencyMs, database: null };
  if (answer.status >= 300 && answer.status < 400) {
    const to = answer.location ? new URL(answer.location, url).toString() : '(no Location)';
    return {
      ...base,
      ok: false,
      problems: [
        `HTTP ${answer.status} redirect to ${to}, not followed: pass --url with the service's own URL`,
      ],
      body: answer.text.slice(0, 500),
      redirect: to,
      permanent: true,
    };
  }
  const parsed = parse(answer.text);
  const problems: string[] = [];
  if (answer.status !== 200) problems.push(`HTTP ${answer.status} (expected 200)`);
  if (!parsed.ok) problems.push(...parsed.problems.map((p) => `contract: ${p}`));
  else if (parsed.value.status !== 'ok') problems.push(`status is "${parsed.value.status}"`);
  const value = parsed.ok ? (parsed.value as { database?: unknown }) : undefined;
  return {
    ...base,
    ok: problems.length === 0,
    problems,
    body: parsed.ok ? parsed.value : answer.text.slice(0, 500),
    redirect: null,
    permanent: false,
    database: typeof value?.database === 'string' ? value.database : null,
  };
}

type Parser = typeof parseHealth | typeof parseLiveness;

async function probe(
  base: string,
  path: string,
  parse: Parser,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const url = endpointUrl(base, path);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const answer = await get(url, options, timeoutMs);
    return judge(url, path, answer, parse, latency());
  } catch (error) {
    const e = error as Error & { code?: string };
    const code = e.code ?? '';
    const certificate = CERTIFICATE_ERRORS.test(code);
    return {
      url,
      path,
      status: null,
      latencyMs: latency(),
      ok: false,
      problems: [
        certificate
          ? `TLS certificate rejected (${code}: ${e.message}); for a private CA pass --ca <pem> or set NODE_EXTRA_CA_CERTS`
          : code && code !== 'TIMEOUT'
            ? `${code}: ${e.message}`
            : e.message,
      ],
      body: null,
      redirect: null,
      permanent: certificate,
      database: null,
    };
  }
}

/** `GET <base>/health`: process and database, the check deploys and people rely on. */
export function probeHealth(base: string, options: ProbeOptions = {}) {
  return probe(base, HEALTH_PATH, parseHealth, options);
}

/** `GET <base>/health/live`: the process alone. */
export function probeLiveness(base: string, options: ProbeOptions = {}) {
  return probe(base, LIVENESS_PATH, parseLiveness, options);
}
