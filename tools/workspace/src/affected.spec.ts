import { nx } from './workspace';

/** The projects `nx affected` would run for a change touching only `file`. */
function affectedBy(file: string): string[] {
  return JSON.parse(
    nx(['show', 'projects', '--affected', `--files=${file}`, '--json']),
  ) as string[];
}

describe('nx affected', () => {
  it('marks api, infra and ops affected by a change to the health contract', () => {
    expect(affectedBy('libs/health-contract/src/lib/endpoints.ts')).toEqual(
      expect.arrayContaining(['health-contract', 'config', 'api', 'infra', 'ops']),
    );
  });

  it('does not mark the api affected by a change to the infrastructure only', () => {
    const affected = affectedBy('apps/infra/src/main.ts');

    expect(affected).toContain('infra');
    expect(affected).not.toContain('api');
  });
});
