/**
 * `nx run bench:run`: prod-e's API against the stock NestJS + Terminus baseline, side by side on
 * one PostgreSQL server. See bench/README.md and docs/performance.md.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS } from '@prod-e/api-config';
import { CliError, freePort, reportError } from '@prod-e/cli-kit';

import {
  API_SCRIPT,
  appSpecs,
  AUTH_HEADERS,
  BASELINE_SCRIPT,
  FLOOR_FASTIFY_SCRIPT,
  FLOOR_NODE_HTTP_SCRIPT,
  REQUESTS_PATH,
  WORKSPACE_ROOT,
} from './lib/apps';
import type { BenchContext, ScenarioOutcome } from './lib/harness';
import { runLoad } from './lib/load';
import { machineInfo } from './lib/machine';
import { parseOptions, USAGE } from './lib/options';
import { processesWith, startBenchDb } from './lib/postgres';
import { formatTable } from './lib/report';
import { startApp } from './lib/server';
import { SCENARIO_RUNNERS, SCENARIO_TITLES } from './scenarios';

const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench', 'results');

/** Every server the scenarios start must be built first. */
function assertBuilt(): void {
  const missing = [
    API_SCRIPT,
    BASELINE_SCRIPT,
    FLOOR_FASTIFY_SCRIPT,
    FLOOR_NODE_HTTP_SCRIPT,
  ].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new CliError(
      `missing build output: ${missing.map((f) => relative(WORKSPACE_ROOT, f)).join(', ')}`,
      {
        hint:
          'Run `npx nx run bench:run` (it builds every app first), or `npx nx build api`, ' +
          '`npx nx run bench:build-baseline` and `npx nx run bench:build-floor`.',
      },
    );
  }
}

/** Real rows for GET /api/requests to return, written by prod-e's own request log. */
async function fillRequestLog(specs: ReturnType<typeof appSpecs>, runDir: string): Promise<void> {
  const migrate = await startApp(specs.prodEMigrate, {
    port: await freePort(),
    logFile: join(runDir, 'migrate.log'),
    readyPath: '/health',
  });
  try {
    await runLoad({
      baseUrl: migrate.baseUrl,
      paths: [REQUESTS_PATH],
      connections: 10,
      seconds: 1,
      headers: AUTH_HEADERS,
    });
    await sleep(DEFAULT_REQUEST_LOG_FLUSH_INTERVAL_MS + 500);
  } finally {
    await migrate.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  assertBuilt();

  // The load generator (this process) gets the servers' priority too.
  if (options.nice !== undefined) setPriority(options.nice);
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runDir = join(WORKSPACE_ROOT, 'tmp', 'bench', stamp);
  await mkdir(runDir, { recursive: true });
  const out = resolve(options.out ?? join(RESULTS_DIR, `${stamp}.json`));
  await mkdir(resolve(out, '..'), { recursive: true });
  const machine = machineInfo();
  const say = (line: string) => console.log(line);
  say(
    `prod-e bench: ${machine.cpus} CPU (${machine.cpuModel}), Node ${machine.node}, ` +
      `load average ${machine.loadAverage.toFixed(2)}`,
  );
  say(
    `options: ${options.rounds} round(s) × ${options.duration} s, ${options.connections} connections, ` +
      `warm-up ${options.warmup} s, scenarios ${options.scenarios.join(', ')}`,
  );

  const clock = performance.now();
  const db = await startBenchDb(join(runDir, 'pg'), await freePort());
  if (options.nice !== undefined) {
    // Backends fork from the postmaster and inherit its priority.
    for (const pid of await processesWith(join(runDir, 'pg'))) setPriority(pid, options.nice);
  }
  const outcomes: ScenarioOutcome[] = [];
  try {
    const specs = appSpecs(db.url);
    say('setup: applying prod-e migrations and filling the request log through the API');
    await fillRequestLog(specs, runDir);

    const ctx: BenchContext = { options, db, specs, runDir, resultsFile: out, say, findings: {} };
    for (const name of options.scenarios) {
      say(`\n${SCENARIO_TITLES[name]}`);
      outcomes.push(await SCENARIO_RUNNERS[name](ctx));
    }
  } finally {
    await db.stop();
  }

  const rows = outcomes.flatMap((outcome) => outcome.rows);
  const elapsedS = Math.round((performance.now() - clock) / 1000);
  say(
    `\nValues: medians over ${options.rounds} A/B round(s). Ratio: prod-e ÷ reference, the median of ` +
      'per-round ratios (memory, one run each: the ratio of the values).\n',
  );
  say(formatTable(rows));
  const misses = rows.filter((row) => row.verdict === 'MISS').length;
  say(`\n${rows.filter((r) => r.verdict === 'PASS').length} PASS, ${misses} MISS in ${elapsedS} s`);

  const results = {
    startedAt: startedAt.toISOString(),
    elapsedS,
    machine: { ...machine, loadAverageAfter: machineInfo().loadAverage },
    options,
    rows,
    scenarios: Object.fromEntries(outcomes.map((o) => [o.name, o.raw])),
  };
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  say(
    `results: ${relative(process.cwd(), out)}; server logs${options.cpuProf ? ' and CPU profiles' : ''}: ${relative(process.cwd(), runDir)}`,
  );
}

main().catch((error: unknown) => {
  // Bad options, settings or a missing build: the message names every problem; no stack trace.
  process.exitCode = reportError(
    error,
    { err: (line) => console.error(line), debug: () => undefined },
    'the bench',
  );
});
