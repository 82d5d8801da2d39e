import { apiEnvSchema } from '@prod-e/api-config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const doc = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');
const shape: Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }> =
  apiEnvSchema.shape;

/** The configuration table's rows: `| \`KEY\` | default | meaning |`. */
const rows = new Map(
  [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [m[1], m[2].trim()]),
);

/** A default as the table writes it: the schema's defaults are scalars (or empty lists). */
function shown(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new Error(`a default the table cannot show: ${JSON.stringify(value)}`);
}

describe('docs/api.md configuration table', () => {
  it('lists exactly the keys of apiEnvSchema', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(shape).sort());
  });

  it.each(Object.keys(shape))('shows the schema default of %s', (key) => {
    // Arrange
    const parsed = shape[key].safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;

    // Act
    const cell = rows.get(key) ?? '';

    // Assert
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      expect(cell).toMatch(/^\(none\)|`/);
    } else {
      expect(cell.startsWith(`\`${shown(value)}\``)).toBe(true);
    }
  });
});
