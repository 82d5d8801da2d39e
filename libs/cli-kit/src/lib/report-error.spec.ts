import { CommanderError } from 'commander';

import { CliError, ExitCode } from './cli-error';
import { type ErrorOutput, reportError, runCli } from './report-error';

function capture(): ErrorOutput & { err: jest.Mock; debug: jest.Mock; lines(): string[] } {
  const err = jest.fn();
  const debug = jest.fn();
  return { err, debug, lines: () => err.mock.calls.map(([line]) => line as string) };
}

class ContextError extends CliError {
  override details(): readonly string[] {
    return ['Context: {"step":"apply"}'];
  }
}

describe('reportError', () => {
  it('prints a CliError as Error and Hint lines and exits with its code', () => {
    const output = capture();

    const code = reportError(
      new CliError('The stack is not synthesized.', { hint: 'Run the synth first.', exitCode: 4 }),
      output,
      'tool',
    );

    expect(code).toBe(4);
    expect(output.lines()).toEqual([
      'Error: The stack is not synthesized.',
      'Hint: Run the synth first.',
    ]);
  });

  it('keeps the cause chain and a subclass’s details for --verbose', () => {
    const output = capture();
    const cause = new Error('ENOENT');

    expect(reportError(new ContextError('No file.', { cause }), output, 'tool')).toBe(
      ExitCode.FAILED,
    );

    expect(output.lines()).toEqual(['Error: No file.']);
    expect(output.debug.mock.calls.map(([line]) => line)).toEqual([
      'Context: {"step":"apply"}',
      expect.stringMatching(/^Caused by: Error: ENOENT/),
    ]);
  });

  it('prints invalid settings with every bad key and exits 1', () => {
    const output = capture();
    // The shape of @prod-e/api-config's ConfigError (the delivery CLI tests print a real one).
    const error = Object.assign(
      new Error('Invalid deployment settings (2 problems):\n  - region: …\n  - cpu: …'),
      {
        name: 'ConfigError',
        problems: [
          { key: 'region', message: '…' },
          { key: 'cpu', message: '…' },
        ],
      },
    );

    expect(reportError(error, output, 'tool')).toBe(ExitCode.FAILED);
    expect(output.lines()).toEqual([`Error: ${error.message}`]);
  });

  it('leaves usage errors to commander, which printed them: 64, or 0 for --help', () => {
    const output = capture();

    expect(reportError(new CommanderError(1, 'commander.unknownOption', 'x'), output, 't')).toBe(
      ExitCode.USAGE,
    );
    expect(reportError(new CommanderError(0, 'commander.helpDisplayed', 'x'), output, 't')).toBe(
      ExitCode.OK,
    );
    expect(output.err).not.toHaveBeenCalled();
  });

  it('calls anything else a bug of the program, with the stack only for --verbose', () => {
    const output = capture();

    expect(reportError(new TypeError('x is undefined'), output, 'prod-e')).toBe(ExitCode.INTERNAL);

    expect(output.lines()).toEqual([
      'Error: unexpected failure: x is undefined',
      'Hint: this is a bug in prod-e; rerun with --verbose and report the output.',
    ]);
    expect(output.debug).toHaveBeenCalledWith(expect.stringMatching(/^TypeError: x is undefined/));
  });
});

describe('runCli', () => {
  const exitCode = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCode;
  });

  it('exits with the code a synchronous main returns', async () => {
    const output = capture();

    await runCli('tool', () => 3, output);

    expect(process.exitCode).toBe(3);
    expect(output.lines()).toEqual([]);
  });

  it('reports what a synchronous main throws as it reports a rejection', async () => {
    const output = capture();
    const fail = (): never => {
      throw new CliError('No stacks.', { hint: 'Run the synth first.', exitCode: 4 });
    };

    await runCli('tool', fail, output);

    expect(process.exitCode).toBe(4);
    expect(output.lines()).toEqual(['Error: No stacks.', 'Hint: Run the synth first.']);
  });

  it('reports an async main’s rejection', async () => {
    const output = capture();

    await runCli('tool', () => Promise.reject(new CliError('Gone.', { exitCode: 5 })), output);

    expect(process.exitCode).toBe(5);
    expect(output.lines()).toEqual(['Error: Gone.']);
  });
});
