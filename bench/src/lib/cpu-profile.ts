/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a summary needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FrameCost {
  readonly name: string;
  /** Self time, ms. */
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  /** Busy time: every sample but `(idle)`; percentages are of this. */
  readonly totalMs: number;
  readonly idleMs: number;
  /** Self time per function (name and file:line), heaviest first. */
  readonly functions: readonly FrameCost[];
  /** Self time per npm package (or `node:internal`, `app`, `(garbage collector)` …), heaviest first. */
  readonly packages: readonly FrameCost[];
}

/** `node_modules/@scope/name/…` → `@scope/name`; node internals, the app and V8 pseudo-frames by kind. */
export function packageOf(url: string, functionName: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replaceAll('\\', '/'));
  if (match) return match[1];
  if (url.startsWith('node:')) return 'node:internal';
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  return 'app';
}

function top(costs: Map<string, number>, totalMs: number, limit: number): FrameCost[] {
  return [...costs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, selfMs]) => ({
      name,
      selfMs,
      percent: totalMs > 0 ? (100 * selfMs) / totalMs : 0,
    }));
}

/** Attributes each busy sample's time delta to the frame on top of the stack (self time). */
export function summarizeProfile(profile: CpuProfile, limit = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    if (!node) return;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' && url === '') {
      idleMs += ms;
      return;
    }
    const file = url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*\/(dist|bench)\//, '$1/');
    const name =
      `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    totalMs += ms;
  });
  return {
    totalMs,
    idleMs,
    functions: top(functions, totalMs, limit),
    packages: top(packages, totalMs, limit),
  };
}
