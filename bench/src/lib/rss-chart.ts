import type { RssSample } from './trend';

export interface RssChartOptions {
  readonly title: string;
  /** A dashed horizontal line, e.g. the RSS target. */
  readonly limitMiB?: { readonly value: number; readonly label: string };
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 56, right: 16, top: 32, bottom: 40 };

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step for about `count` ticks over `span` (1, 2 or 5 times a power of ten). */
export function tickStep(span: number, count = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

/**
 * RSS over time as a self-contained SVG line chart (no script, no fonts to fetch), so it
 * renders on GitHub and in any browser next to the JSON it was drawn from. The y axis starts at
 * 0: growth is judged against the whole, not a zoomed-in wiggle.
 */
export function rssChartSvg(samples: readonly RssSample[], options: RssChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 320;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const maxS = Math.max(60, ...samples.map((s) => s.atS));
  const top = Math.max(options.limitMiB?.value ?? 0, ...samples.map((s) => s.rssMiB)) * 1.1;
  const yStep = tickStep(top);
  const maxMiB = Math.ceil(top / yStep) * yStep;
  const x = (s: number) => MARGIN.left + (plotW * s) / maxS;
  const y = (mib: number) => MARGIN.top + plotH - (plotH * mib) / maxMiB;
  const fmt = (n: number) => n.toFixed(1);

  const parts: string[] = [];
  for (let mib = 0; mib <= maxMiB; mib += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${fmt(y(mib))}" y2="${fmt(y(mib))}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y(mib) + 4)}" text-anchor="end">${mib}</text>`,
    );
  }
  const minStep = tickStep(maxS / 60) * 60;
  for (let s = 0; s <= maxS; s += minStep) {
    parts.push(
      `<text x="${fmt(x(s))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${s / 60}</text>`,
    );
  }
  if (options.limitMiB) {
    const ly = fmt(y(options.limitMiB.value));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${ly}" y2="${ly}" stroke="#c33" stroke-dasharray="6 4"/>`,
      `<text x="${width - MARGIN.right}" y="${fmt(y(options.limitMiB.value) - 5)}" text-anchor="end" fill="#c33">${escapeXml(options.limitMiB.label)}</text>`,
    );
  }
  const points = samples.map((s) => `${fmt(x(s.atS))},${fmt(y(s.rssMiB))}`).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14">${escapeXml(options.title)}</text>`,
    ...parts,
    `<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="${points}"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">minutes</text>`,
    `<text x="14" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})">RSS (MiB)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
