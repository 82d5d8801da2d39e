import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { workspaceRoot } from './workspace';

const ADR_DIR = join(workspaceRoot, 'docs/adr');
const RECORD = /^(\d{4})-[a-z0-9-]+\.md$/;

const records = readdirSync(ADR_DIR)
  .filter((file) => RECORD.test(file))
  .sort();

describe('the architecture decision records', () => {
  it('are numbered 0001, 0002, … without gaps or duplicates', () => {
    const numbers = records.map((file) => Number(RECORD.exec(file)?.[1]));

    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('are each listed in docs/adr/README.md, under their own title', () => {
    const index = readFileSync(join(ADR_DIR, 'README.md'), 'utf8');

    for (const file of records) {
      const title = readFileSync(join(ADR_DIR, file), 'utf8')
        .split('\n')[0]
        .replace(/^# \d+\. /, '');

      expect({ file, listed: index.includes(`](${file})`), titled: index.includes(title) }).toEqual(
        { file, listed: true, titled: true },
      );
    }
  });

  it.each(records)('%s has context, decision, consequences and how to undo', (file) => {
    const headings = readFileSync(join(ADR_DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('## '));

    expect(headings).toEqual(['## Context', '## Decision', '## Consequences', '## How to undo']);
  });
});
