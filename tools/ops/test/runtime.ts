import { type Io, type Progress } from '../src/lib/io';
import { defaultAws, type Runtime } from '../src/lib/runtime';

/** 2025-03-14T08:00:00Z: tests see a fixed "now". */
export const NOW = Date.parse('2025-03-14T08:00:00.000Z');

export interface TestRuntime extends Runtime {
  stdout: string[];
  stderr: string[];
  /** Every progress text, in order (spinner start, updates, final). */
  progress: string[];
  /** Questions asked through confirm(). */
  questions: string[];
  /** Virtual milliseconds slept so far. */
  slept(): number;
  abort(): void;
}

/**
 * A runtime with captured output and a virtual clock: sleep() advances time instantly, so
 * waits, timeouts and follow loops run without real time passing.
 */
export function testRuntime(
  options: {
    interactive?: boolean;
    answer?: boolean;
    env?: Record<string, string | undefined>;
    /** Outputs of the applied stack, by name (`service_url`). @default none */
    stackOutputs?: Record<string, string>;
    onSleep?: (runtime: TestRuntime) => void;
  } = {},
): TestRuntime {
  const controller = new AbortController();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const progress: string[] = [];
  const questions: string[] = [];
  let now = NOW;
  let slept = 0;
  const recorder = (text: string): Progress => {
    progress.push(text);
    return {
      update: (t) => void progress.push(t),
      succeed: (t) => void progress.push(`✓ ${t}`),
      fail: (t) => void progress.push(`✗ ${t}`),
    };
  };
  const io: Io = {
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    debug: () => undefined,
    progress: recorder,
    interactive: options.interactive ?? false,
    confirm: (question) => {
      questions.push(question);
      return Promise.resolve(options.answer ?? false);
    },
  };
  const runtime: TestRuntime = {
    io,
    env: options.env ?? {},
    signal: controller.signal,
    aws: defaultAws,
    stackOutput: (_target, name) => Promise.resolve(options.stackOutputs?.[name]),
    clock: {
      now: () => now,
      // In an executor, so a throwing onSleep rejects the sleep as an async one would.
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          now += ms;
          slept += ms;
          options.onSleep?.(runtime);
          resolve();
        }),
    },
    stdout,
    stderr,
    progress,
    questions,
    slept: () => slept,
    abort: () => controller.abort(),
  };
  return runtime;
}
