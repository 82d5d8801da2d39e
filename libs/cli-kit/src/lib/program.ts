import { Command } from 'commander';

/** Where commander writes help and usage errors (an Io in tests, the process otherwise). */
export interface ProgramOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: ProgramOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * A commander program (or subcommand) set up the one way every CLI here uses: it throws
 * instead of exiting (the top-level handler picks the exit code), writes through `output`, and
 * points at --help after a usage error.
 */
export function configureCommand(command: Command, output: ProgramOutput = processOutput): Command {
  return command
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
}

/** A new program named `name`, configured as {@link configureCommand} says, with --verbose. */
export function cliProgram(name: string, output: ProgramOutput = processOutput): Command {
  return configureCommand(new Command(name), output).option(
    '-v, --verbose',
    'progress and error detail on stderr',
  );
}
