import { formatTable } from './report';
import { summaryRow, TARGETS } from './targets';

describe('formatTable', () => {
  const rows = [
    summaryRow({
      scenario: '/health/live',
      metric: 'requests/s',
      reference: { label: 'baseline', value: 1234.4 },
      candidate: { label: 'prod-e', value: 4321.6 },
      target: TARGETS.liveThroughput,
    }),
    summaryRow({
      scenario: '/health',
      metric: 'DB queries per request',
      reference: { label: 'baseline', value: 1 },
      candidate: { label: 'prod-e', value: 0.00042 },
    }),
  ];

  it('prints a Markdown table with one line per row, aligned', () => {
    const lines = formatTable(rows).split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| scenario\s+\| metric\s+\| reference/);
    expect(lines[1]).toMatch(/^\| -+ \| -+ \|/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('shows values, ratio, target and verdict', () => {
    const table = formatTable(rows);

    expect(table).toContain('1,234 (baseline)');
    expect(table).toContain('4,322 (prod-e)');
    expect(table).toContain('3.5×');
    expect(table).toContain('≥ 2× baseline');
    expect(table).toMatch(/PASS +\|$/m);
    expect(table).toContain('0.0004 (prod-e)');
    expect(table).toMatch(/— +\| — +\|$/m);
  });
});
