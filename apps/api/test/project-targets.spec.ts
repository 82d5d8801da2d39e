import { CODE_CACHE_BUILD_COMMAND, migrationCommand } from '@prod-e/api-config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface RunCommandsTarget {
  readonly options: { readonly command: string; readonly cwd?: string };
}

const targets = JSON.parse(readFileSync(join(__dirname, '../project.json'), 'utf8'))
  .targets as Record<string, RunCommandsTarget>;

describe('api project targets run the container commands of @prod-e/api-config', () => {
  it('code-cache: the image build step, in the build output', () => {
    expect(targets['code-cache'].options).toEqual({
      command: CODE_CACHE_BUILD_COMMAND.join(' '),
      cwd: 'dist/apps/api',
    });
  });

  it('migrate: the migration task command, in the build output', () => {
    expect(targets.migrate.options).toEqual({
      command: migrationCommand().join(' '),
      cwd: 'dist/apps/api',
    });
  });
});
