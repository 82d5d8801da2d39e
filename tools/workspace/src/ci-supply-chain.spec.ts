import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { workspaceRoot } from './workspace';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
}
interface Job {
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const WORKFLOW_DIR = join(workspaceRoot, '.github/workflows');
const files = readdirSync(WORKFLOW_DIR).filter((file) => /\.ya?ml$/.test(file));
const text = (file: string) => readFileSync(join(WORKFLOW_DIR, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;

/** `owner/repo[/path]@<40-hex commit> # vX.Y.Z`: a commit cannot be moved, the comment says which release it is. */
const PINNED = /^\s*(?:-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/;

const grantsIdToken = (permissions: Job['permissions']) =>
  permissions === 'write-all' ||
  (typeof permissions === 'object' && permissions['id-token'] === 'write');

const jobs = files.flatMap((file) =>
  Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })),
);
const oidcJobs = jobs.filter(({ job }) => grantsIdToken(job.permissions));
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));

describe('GIVEN the GitHub Actions workflows', () => {
  it('THEN there are some (the checks below see every file)', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'deploy.yml']));
  });

  it.each(files)('THEN %s pins every action to a full commit SHA with its release tag', (file) => {
    const uses = text(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));

    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((line) => !PINNED.test(line))).toEqual([]);
  });

  it.each(files)('THEN %s grants no id-token permission to every job at once', (file) => {
    expect(grantsIdToken(workflow(file).permissions)).toBe(false);
  });

  it.each(files)(
    'THEN %s runs the workspace CLIs through npx --no-install (never a registry fetch)',
    (file) => {
      const all = Object.values(workflow(file).jobs).flatMap(runs);
      const fetching = all.filter((run) => /\bnpx\s+(?!--no-install\b)/.test(run));

      expect(fetching).toEqual([]);
    },
  );

  it('THEN exactly one job may request an OIDC token: the deploy job, in the protected environment', () => {
    expect(oidcJobs.map(({ file, name }) => `${file}:${name}`)).toEqual(['deploy.yml:deploy']);
    const [{ job }] = oidcJobs;
    expect(typeof job.environment === 'string' ? job.environment : job.environment?.name).toBe(
      'prod',
    );
  });

  it('THEN the job holding id-token runs no dependency install script and builds nothing', () => {
    for (const { job } of oidcJobs) {
      const commands = runs(job);
      const installs = commands.filter((run) => /\bnpm\s+(ci|install|i)\b/.test(run));

      expect(installs.length).toBeGreaterThan(0);
      expect(installs.filter((run) => !run.includes('--ignore-scripts'))).toEqual([]);
      expect(commands.filter((run) => /docker (image )?build|api:container/.test(run))).toEqual([]);
      // The push and the deploy would build the image when ECR lacks it; --prebuilt forbids that.
      expect(
        commands.filter((run) => /api:push|infra:deploy/.test(run) && !run.includes('--prebuilt')),
      ).toEqual([]);
    }
  });

  it('THEN a workflow that can be dispatched by hand runs none of its jobs off main', () => {
    for (const file of files.filter((f) => 'workflow_dispatch' in (workflow(f).on ?? {}))) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        expect({ file, name, if: job.if }).toEqual({
          file,
          name,
          if: "github.ref == 'refs/heads/main'",
        });
      }
    }
  });
});
