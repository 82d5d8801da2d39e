import { PassThrough } from 'node:stream';

import { consoleIo } from './io';

/** A writable stream that records what was written and can pretend to be a terminal. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  // The cursor calls a tty.WriteStream has, which ora uses to redraw its line.
  const done = () => true;
  Object.assign(s, {
    isTTY,
    columns: 80,
    cursorTo: done,
    clearLine: done,
    moveCursor: done,
    text: () => chunks.join(''),
  });
  s.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return s;
}

const stdin = () =>
  Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;

describe('consoleIo', () => {
  it('writes results to stdout and messages to stderr', () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const io = consoleIo({ verbose: false, stdout, stderr, stdin: stdin() });

    io.out('result');
    io.err('warning');
    io.debug('detail');

    expect(stdout.text()).toBe('result\n');
    expect(stderr.text()).toBe('warning\n');
    expect(io.interactive).toBe(false);
  });

  it('keeps progress silent off a terminal unless --verbose, then prints each change once', () => {
    const quietErr = stream(false);
    const verboseErr = stream(false);
    const quiet = consoleIo({
      verbose: false,
      stdout: stream(false),
      stderr: quietErr,
      stdin: stdin(),
    });
    const verbose = consoleIo({
      verbose: true,
      stdout: stream(false),
      stderr: verboseErr,
      stdin: stdin(),
    });

    for (const io of [quiet, verbose]) {
      const progress = io.progress('waiting');
      progress.update('waiting');
      progress.update('1/2 healthy');
      progress.succeed('done');
    }

    expect(quietErr.text()).toBe('');
    expect(verboseErr.text()).toBe('waiting\n1/2 healthy\ndone\n');
  });

  it('draws an ora spinner on a terminal and leaves the final line', () => {
    const stderr = stream(true);
    const io = consoleIo({ verbose: false, stdout: stream(false), stderr, stdin: stdin() });

    const progress = io.progress('waiting');
    progress.update('1/2 healthy');
    progress.fail('timed out');

    // Frames depend on the terminal (ora stops animating under CI or TERM=dumb); the final line stays.
    expect(stderr.text()).toMatch(/✖.* timed out\n$/);
  });
});
