import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { CliError, runCli } from '@prod-e/cli-kit';

import type { SynthMeasurement } from '../bench/measure';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET = { ms: 3000, mib: 300 };

interface Result extends SynthMeasurement {
  /** Spawn to exit, as `nx run infra:synth` feels it (node + tsx start-up included). */
  readonly wallMs: number;
}

function runChild(script: string): Result {
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '..', 'bench', script)],
    {
      encoding: 'utf8',
    },
  );
  const wallMs = Math.round(performance.now() - start);
  if (child.status !== 0) throw new CliError(`${script} failed:\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(line) as SynthMeasurement), wallMs };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `nx run infra:bench`: full prod synth vs a one-resource stack importing the provider root. */
function main(): void {
  const rows = [
    { name: 'full prod stack (per-resource imports)', script: 'full-stack.ts' },
    { name: 'baseline: 1 resource, provider root import', script: 'root-import.ts' },
  ].map(({ name, script }) => {
    const runs = Array.from({ length: RUNS }, () => runChild(script));
    return {
      name,
      resources: runs[0].resources,
      wallMs: median(runs.map((r) => r.wallMs)),
      inProcessMs: median(runs.map((r) => r.elapsedMs)),
      maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    };
  });
  process.stdout.write(
    `synth benchmark, median of ${RUNS} runs (node ${process.version}, ${process.platform}/${process.arch})\n`,
  );
  console.table(rows);
  const full = rows[0];
  const ok = full.wallMs < TARGET.ms && full.maxRssMiB < TARGET.mib;
  process.stdout.write(
    `full stack: ${full.wallMs} ms wall, ${full.maxRssMiB} MiB peak RSS; target < ${TARGET.ms} ms and < ${TARGET.mib} MiB: ${ok ? 'met' : 'MISSED'}\n`,
  );
}

void runCli('infra:bench', main);
