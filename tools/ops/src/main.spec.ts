import { ENVIRONMENT_VARIABLE, PRIMARY_ENVIRONMENT } from '@prod-e/deployment';

import { testRuntime } from '../test/runtime';
import { ExitCode } from './lib/errors';
import { run } from './main';

describe('prod-e program', () => {
  it('lists every command in --help and exits 0', async () => {
    const runtime = testRuntime();

    const code = await run(['--help'], runtime);

    expect(code).toBe(ExitCode.OK);
    const help = runtime.stdout.join('\n');
    for (const command of [
      'status',
      'verify',
      'logs',
      'rollback',
      'resources',
      'cleanup',
      'smoke',
      'migrate',
    ]) {
      expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('documents the defaults of a command in its help', async () => {
    const runtime = testRuntime();

    await run(['verify', '--help'], runtime);

    const help = runtime.stdout.join('\n');
    expect(help).toContain('--timeout <seconds>');
    expect(help).toContain('(default: "600")');
    // Commander wraps long descriptions; the words are what matter.
    expect(help.replace(/\s+/g, ' ')).toContain(
      `(default: ${ENVIRONMENT_VARIABLE}, else ${PRIMARY_ENVIRONMENT})`,
    );
  });

  it('exits 64 for an unknown command or option', async () => {
    const unknownCommand = testRuntime();
    const unknownOption = testRuntime();

    expect(await run(['deploy'], unknownCommand)).toBe(ExitCode.USAGE);
    expect(await run(['status', '--colour'], unknownOption)).toBe(ExitCode.USAGE);

    expect(unknownCommand.stderr[0]).toBe("error: unknown command 'deploy'");
    expect(unknownOption.stderr[0]).toBe("error: unknown option '--colour'");
  });

  it('exits 64 when smoke is given no URL and no applied stack has a service_url', async () => {
    const runtime = testRuntime();

    expect(await run(['smoke'], runtime)).toBe(ExitCode.USAGE);
    expect(runtime.stderr[0]).toBe(
      'Error: No <url> given, and this checkout has no applied prod-e stack to read service_url from.',
    );
  });
});
