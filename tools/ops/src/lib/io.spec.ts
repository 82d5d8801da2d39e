import { PassThrough } from 'node:stream';

import { colorWanted, consoleIo } from './io';

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

  it('off a terminal, says where a long wait is once every 15 s, then the final line', () => {
    const stderr = stream(false);
    let now = 0;
    const io = consoleIo({
      verbose: false,
      stdout: stream(false),
      stderr,
      stdin: stdin(),
      now: () => now,
    });

    const progress = io.progress('waiting');
    for (let second = 1; second <= 40; second += 1) {
      now = second * 1000;
      progress.update(`poll ${second}`);
    }
    progress.succeed('done');

    expect(stderr.text()).toBe('poll 15\npoll 30\ndone\n');
  });

  it('treats a pty that reports 0 columns as no terminal: no spinner frames', () => {
    const stderr = stream(true);
    Object.assign(stderr, { columns: 0 });
    const io = consoleIo({ verbose: true, stdout: stream(false), stderr, stdin: stdin() });

    const progress = io.progress('waiting');
    progress.update('1/2 healthy');
    progress.fail('timed out');

    expect(stderr.text()).toBe('waiting\n1/2 healthy\ntimed out\n');
  });

  it('draws no colour with color: false (--no-color, NO_COLOR), even where colour is forced', () => {
    const render = (color: boolean) => {
      const stderr = stream(true);
      jest.isolateModules(() => {
        // A colour terminal outside CI (ora draws plainly when CI is set, as in .ci/run).
        const saved = { CI: process.env.CI, TERM: process.env.TERM };
        delete process.env.CI;
        process.env.TERM = 'xterm-256color';
        process.env.FORCE_COLOR = '1';
        // A fresh copy, so ora and chalk read the colour settings above when they load.
        const fresh = jest.requireActual<typeof import('./io')>('./io');
        const io = fresh.consoleIo({
          verbose: false,
          color,
          stdout: stream(false),
          stderr,
          stdin: stdin(),
        });
        io.progress('waiting').succeed('done');
        delete process.env.FORCE_COLOR;
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      });
      return stderr.text();
    };
    // SGR colour codes (ESC [ n m), not the cursor codes a spinner also writes.
    // eslint-disable-next-line no-control-regex
    const sgr = /\u001b\[\d+(;\d+)*m/;

    expect(render(true)).toMatch(sgr);
    expect(render(false)).not.toMatch(sgr);
    expect(render(false)).toMatch(/✔ done\n$/);
  });

  it.each([
    [[], {}, true],
    [['--no-color'], {}, false],
    [[], { NO_COLOR: '1' }, false],
    [[], { NO_COLOR: '' }, true],
  ])('colour for args %j and env %j: %s', (args, env, expected) => {
    expect(colorWanted(args, env)).toBe(expected);
  });

  it('stops writing and reports once when the reader of stdout goes away (EPIPE)', () => {
    const stdout = stream(false);
    const closed = jest.fn();
    const io = consoleIo({
      verbose: false,
      stdout,
      stderr: stream(false),
      stdin: stdin(),
      onStdoutClosed: closed,
    });
    const write = jest.spyOn(stdout, 'write');

    io.out('first');
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    io.out('second');

    expect(closed).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
