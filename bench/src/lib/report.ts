import { round } from './stats';
import type { SummaryRow } from './targets';

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 0.01 || abs === 0 ? 2 : 4;
  return round(value, digits).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** The results as a Markdown table (readable in a terminal, pasteable into docs/performance.md). */
export function formatTable(rows: readonly SummaryRow[]): string {
  const header = ['scenario', 'metric', 'reference', 'prod-e', 'ratio', 'target', 'result'];
  const body = rows.map((row) => [
    row.scenario,
    row.metric,
    `${formatNumber(row.reference.value)} (${row.reference.label})`,
    `${formatNumber(row.candidate.value)} (${row.candidate.label})`,
    Number.isNaN(row.ratio) ? 'n/a' : `${formatNumber(row.ratio)}×`,
    row.target?.text ?? '—',
    row.verdict,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => cells[column].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join(
    '\n',
  );
}
