import { CliError } from '@prod-e/cli-kit';
import { API_START_COMMAND } from '@prod-e/api-config';
import { API_PORT, containerHealthCheck } from '@prod-e/health-contract';

import { contractInstructions, runtimeStage, syncDockerfile } from './dockerfile';

const STALE = [
  'FROM node:24-bookworm-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS node',
  'FROM node AS build',
  'RUN echo build',
  'FROM node AS runtime',
  'EXPOSE 8080',
  'HEALTHCHECK --interval=5s CMD curl -f http://localhost:8080/ \\',
  '  || exit 1',
  'CMD node main.js',
  '',
].join('\n');

describe('contractInstructions', () => {
  it('renders the task definition probe with its timing as a shell-form HEALTHCHECK', () => {
    const check = containerHealthCheck();

    const { HEALTHCHECK } = contractInstructions();

    expect(HEALTHCHECK).toBe(
      `HEALTHCHECK --interval=${check.interval}s --timeout=${check.timeout}s ` +
        `--start-period=${check.startPeriod}s --retries=${check.retries} CMD ${check.command[1]}`,
    );
  });

  it('renders API_START_COMMAND as an exec-form CMD and the contract port', () => {
    const { CMD, EXPOSE } = contractInstructions();

    expect(JSON.parse(CMD.slice('CMD '.length))).toEqual(API_START_COMMAND);
    expect(EXPOSE).toBe(`EXPOSE ${API_PORT}`);
  });
});

describe('syncDockerfile', () => {
  it('rewrites the runtime stage lines, including a multi-line instruction, and keeps the rest', () => {
    const synced = syncDockerfile(STALE);

    const rendered = contractInstructions();
    expect(synced.split('\n')).toEqual([
      ...STALE.split('\n').slice(0, 4),
      rendered.EXPOSE,
      rendered.HEALTHCHECK,
      rendered.CMD,
      '',
    ]);
  });

  it('is idempotent once in sync', () => {
    const once = syncDockerfile(STALE);

    expect(syncDockerfile(once)).toBe(once);
  });

  it('only touches the last stage', () => {
    const text = [
      'FROM a AS one',
      'CMD ["x"]',
      'FROM b AS two',
      'EXPOSE 1',
      'HEALTHCHECK NONE',
      'CMD ["y"]',
    ].join('\n');

    const lines = syncDockerfile(text).split('\n');

    expect(lines[1]).toBe('CMD ["x"]');
    expect(lines[5]).toBe(contractInstructions().CMD);
  });

  it('errors, naming the instruction, when the runtime stage lacks one', () => {
    const text = ['FROM a', 'EXPOSE 1', 'CMD ["x"]'].join('\n');

    expect(() => syncDockerfile(text)).toThrow(CliError);
    expect(() => syncDockerfile(text)).toThrow(/exactly one HEALTHCHECK instruction \(found 0\)/);
  });

  it('errors when there is no stage at all', () => {
    expect(() => runtimeStage('# empty\n')).toThrow('The Dockerfile has no FROM instruction.');
  });
});
