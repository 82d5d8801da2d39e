import { type CpuProfile, packageOf, summarizeProfile } from './cpu-profile';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: id },
});

describe('packageOf', () => {
  it('names npm packages, scoped or not', () => {
    expect(packageOf('file:///w/node_modules/@nestjs/core/router/x.js', 'f')).toBe('@nestjs/core');
    expect(packageOf('/w/node_modules/express/lib/router.js', 'f')).toBe('express');
  });

  it('groups node internals, V8 pseudo-frames and the app', () => {
    expect(packageOf('node:internal/streams', 'f')).toBe('node:internal');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(packageOf('', 'writev')).toBe('(native)');
    expect(packageOf('file:///w/dist/apps/api/main.js', 'f')).toBe('app');
  });
});

describe('summarizeProfile', () => {
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', ''),
      frame(2, 'handle', '/w/node_modules/express/lib/router.js'),
      frame(3, '(idle)', ''),
    ],
    samples: [2, 2, 3, 2],
    timeDeltas: [1000, 2000, 3000, 2000],
  };

  it('adds each busy sample to the frame on top of the stack, and idle time apart', () => {
    const summary = summarizeProfile(profile);

    expect(summary).toMatchObject({ totalMs: 5, idleMs: 3 });
    expect(summary.functions).toEqual([
      { name: 'handle express/lib/router.js:3', selfMs: 5, percent: 100 },
    ]);
    expect(summary.packages.map((p) => p.name)).toEqual(['express']);
  });

  it('ranks the heaviest first', () => {
    const summary = summarizeProfile({
      ...profile,
      nodes: [...profile.nodes, frame(4, 'parse', 'node:internal/url')],
      samples: [2, 4, 4],
      timeDeltas: [1000, 1000, 2000],
    });

    expect(summary.packages).toEqual([
      { name: 'node:internal', selfMs: 3, percent: 75 },
      { name: 'express', selfMs: 1, percent: 25 },
    ]);
  });

  it('keeps only the requested number of entries', () => {
    expect(summarizeProfile(profile, 1).functions).toHaveLength(1);
  });
});
