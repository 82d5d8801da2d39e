import { listProjects, type ProjectSummary, readJson } from './workspace';

interface PackageJson {
  name: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

describe('workspace conventions', () => {
  const root = readJson<PackageJson>('package.json');
  const allDependencies = { ...root.dependencies, ...root.devDependencies };
  let projects: ProjectSummary[];

  beforeAll(() => {
    projects = listProjects();
  });

  it('pins nx and every @nx/* plugin to one exact version', () => {
    const nxPackages = Object.entries(allDependencies).filter(
      ([name]) => name === 'nx' || name.startsWith('@nx/'),
    );

    expect(nxPackages.length).toBeGreaterThan(1);
    expect(new Set(nxPackages.map(([, version]) => version))).toEqual(new Set(['23.2.1']));
  });

  it('pins typescript exactly and declares the supported Node.js range', () => {
    expect(allDependencies.typescript).toBe('5.9.3');
    expect(root.engines?.node).toBe('>=22.12');
  });

  it('lists the shared libraries as projects', () => {
    expect(projects.map((p) => p.name)).toEqual(
      expect.arrayContaining(['api-config', 'deployment', 'health-contract']),
    );
  });

  it('gives every project exactly one type:* and one scope:* tag', () => {
    for (const project of projects) {
      const types = project.tags.filter((tag) => tag.startsWith('type:'));
      const scopes = project.tags.filter((tag) => tag.startsWith('scope:'));

      expect({ project: project.name, types: types.length, scopes: scopes.length }).toEqual({
        project: project.name,
        types: 1,
        scopes: 1,
      });
    }
  });

  it('names each project after its folder and its package @prod-e/<folder>', () => {
    for (const project of projects) {
      const folder = project.root.split('/').at(-1);
      const pkg = readJson<PackageJson>(`${project.root}/package.json`);

      expect({ name: project.name, pkg: pkg.name }).toEqual({
        name: folder,
        pkg: `@prod-e/${folder}`,
      });
    }
  });
});
