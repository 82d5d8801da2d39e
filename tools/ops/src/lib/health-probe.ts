import { HEALTH_PATH, LIVENESS_PATH, parseHealth, parseLiveness } from '@prod-e/health-contract';

import { performance } from 'node:perf_hooks';

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
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** Joins a base URL (`http://alb-123.elb.amazonaws.com`, with or without a trailing path) and a path. */
export function endpointUrl(base: string, path: string): string {
  const url = new URL(base.includes('://') ? base : `http://${base}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url.toString();
}

async function probe(
  base: string,
  path: string,
  parse: typeof parseHealth | typeof parseLiveness,
  timeoutMs: number,
): Promise<ProbeResult> {
  const url = endpointUrl(base, path);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    const text = await response.text();
    const latencyMs = latency();
    const parsed = parse(text);
    const problems: string[] = [];
    if (response.status !== 200) problems.push(`HTTP ${response.status} (expected 200)`);
    if (!parsed.ok) problems.push(...parsed.problems.map((p) => `contract: ${p}`));
    else if (parsed.value.status !== 'ok') problems.push(`status is "${parsed.value.status}"`);
    return {
      url,
      path,
      status: response.status,
      latencyMs,
      ok: problems.length === 0,
      problems,
      body: parsed.ok ? parsed.value : text.slice(0, 500),
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    return {
      url,
      path,
      status: null,
      latencyMs: latency(),
      ok: false,
      problems: [reason],
      body: null,
    };
  }
}

/** `GET <base>/health`: process and database, the check deploys and people rely on. */
export function probeHealth(base: string, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  return probe(base, HEALTH_PATH, parseHealth, timeoutMs);
}

/** `GET <base>/health/live`: the process alone. */
export function probeLiveness(base: string, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  return probe(base, LIVENESS_PATH, parseLiveness, timeoutMs);
}
