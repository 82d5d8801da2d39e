import { rssChartSvg, tickStep } from './rss-chart';

describe('tickStep', () => {
  it.each([
    [176, 5, 50],
    [10, 5, 2],
    [600, 5, 200],
    [1, 5, 0.2],
  ])('a span of %s in about %s ticks steps by %s', (span, count, step) => {
    expect(tickStep(span, count)).toBeCloseTo(step);
  });
});

describe('rssChartSvg', () => {
  const samples = [0, 10, 20, 30].map((atS) => ({ atS, rssMiB: 100 + atS / 10 }));

  it('draws one polyline point per sample, on a y axis from 0', () => {
    const svg = rssChartSvg(samples, { title: 'RSS', width: 400, height: 200 });
    const points = /<polyline[^>]* points="([^"]+)"/.exec(svg)?.[1].split(' ') ?? [];

    expect(points).toHaveLength(4);
    // x: 0 s at the left margin (56); y: 100 MiB of a 0–150 axis, 128 px tall plot from y=32.
    expect(points[0]).toBe(`56.0,${(32 + 128 - (128 * 100) / 150).toFixed(1)}`);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>0</text>');
  });

  it('draws the limit as a labelled dashed line and escapes text', () => {
    const svg = rssChartSvg(samples, {
      title: 'RSS <soak>',
      limitMiB: { value: 160, label: 'target ≤ 160 MiB' },
    });

    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('target ≤ 160 MiB');
    expect(svg).toContain('RSS &lt;soak&gt;');
  });
});
