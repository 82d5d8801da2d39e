import {
  API_NODE_FLAGS,
  API_START_COMMAND,
  CODE_CACHE_BUILD_COMMAND,
  migrationCommand,
} from './container-commands';

describe('container commands', () => {
  it('starts the API with node in exec form, no shell in between', () => {
    expect(API_START_COMMAND).toEqual(['node', '--max-semi-space-size=8', 'main.js']);
  });

  it('passes only flags that NODE_OPTIONS also accepts, so an operator can move them there', () => {
    for (const flag of API_NODE_FLAGS) {
      expect(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0])).toBe(true);
    }
  });

  it('derives the migration command from the start command', () => {
    expect(migrationCommand()).toEqual([...API_START_COMMAND, 'migrate']);
    expect(migrationCommand({ dryRun: true })).toEqual([
      ...API_START_COMMAND,
      'migrate',
      '--dry-run',
    ]);
  });

  it('derives the image build step that writes the code cache from the start command', () => {
    expect(CODE_CACHE_BUILD_COMMAND).toEqual([...API_START_COMMAND, 'write-code-cache']);
  });
});
