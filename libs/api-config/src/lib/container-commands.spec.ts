import {
  API_START_COMMAND,
  CODE_CACHE_BUILD_COMMAND,
  migrationCommand,
} from './container-commands';

describe('container commands', () => {
  it('starts the API with node in exec form, no shell in between', () => {
    expect(API_START_COMMAND).toEqual(['node', 'main.js']);
  });

  it('derives the migration command from the start command', () => {
    expect(migrationCommand()).toEqual(['node', 'main.js', 'migrate']);
    expect(migrationCommand({ dryRun: true })).toEqual(['node', 'main.js', 'migrate', '--dry-run']);
  });

  it('derives the image build step that writes the code cache from the start command', () => {
    expect(CODE_CACHE_BUILD_COMMAND).toEqual(['node', 'main.js', 'write-code-cache']);
  });
});
