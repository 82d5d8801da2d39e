import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What a bench child reports on stdout as one JSON line. */
export interface SynthMeasurement {
  /** From process start to the end of synth: module loading included. */
  readonly elapsedMs: number;
  /** Peak resident set size of the process. */
  readonly maxRssMiB: number;
  readonly resources: number;
}

export function tempOutdir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'prod-e-bench-'));
}

/** Prints the measurement (performance.now() counts from process start) and removes the outdir. */
export function report(resources: number, outdir: string): void {
  rmSync(outdir, { recursive: true, force: true });
  const measurement: SynthMeasurement = {
    elapsedMs: Math.round(performance.now()),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    resources,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}
