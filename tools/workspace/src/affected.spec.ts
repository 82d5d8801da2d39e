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
      expect.arrayContaining(['health-contract', 'api-config', 'api', 'infra', 'ops']),
    );
  });

  it('marks the api and everything deploying it affected by a change to the API environment', () => {
    expect(affectedBy('libs/api-config/src/lib/api-config.ts')).toEqual(
      expect.arrayContaining(['api-config', 'deployment', 'api', 'infra', 'ops', 'delivery']),
    );
  });

  it('does not mark the api affected by a change to a resource name or a deployment setting', () => {
    for (const file of [
      'libs/deployment/src/lib/resource-names.ts',
      'libs/deployment/src/environments/prod.ts',
    ]) {
      const affected = affectedBy(file);

      expect({ file, affected }).toEqual({
        file,
        affected: expect.arrayContaining(['deployment', 'infra', 'ops', 'delivery']),
      });
      expect({ file, api: affected.includes('api') }).toEqual({ file, api: false });
    }
  });

  it('does not mark the api affected by a change to the infrastructure only', () => {
    const affected = affectedBy('apps/infra/src/main.ts');

    expect(affected).toContain('infra');
    expect(affected).not.toContain('api');
  });
});
