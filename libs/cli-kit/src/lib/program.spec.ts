import { CommanderError } from 'commander';

import { cliProgram } from './program';

describe('cliProgram', () => {
  it('throws usage errors instead of exiting, writing through the output it is given', () => {
    const out: string[] = [];
    const err: string[] = [];
    const program = cliProgram('tool', { out: (t) => out.push(t), err: (t) => err.push(t) }).option(
      '--check',
    );

    expect(() => program.parse(['--chek'], { from: 'user' })).toThrow(CommanderError);
    expect(err).toEqual([
      "error: unknown option '--chek'\n(Did you mean --check?)",
      '(run with --help for usage)',
    ]);
    expect(() => program.parse(['--help'], { from: 'user' })).toThrow(
      expect.objectContaining({ exitCode: 0 }),
    );
    expect(out.join('\n')).toMatch(/^Usage: tool \[options\]/);
  });

  it('reads --verbose like every CLI here', () => {
    const program = cliProgram('tool').parse(['-v'], { from: 'user' });

    expect(program.opts()).toEqual({ verbose: true });
  });
});
