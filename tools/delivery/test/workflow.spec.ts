import { readFile } from 'node:fs/promises';

import { MINIMUM_TERRAFORM_VERSION } from '@prod-e/deployment';
import { parse } from 'yaml';

import { DEPLOY_WORKFLOW } from '../src/lib/paths';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}
interface Job {
  needs?: string;
  environment?: { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push?: { branches: string[] } };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

describe('.github/workflows/deploy.yml', () => {
  let text: string;
  let workflow: Workflow;
  beforeAll(async () => {
    text = await readFile(DEPLOY_WORKFLOW, 'utf8');
    workflow = parse(text) as Workflow;
  });
  const job = () => workflow.jobs.deploy;
  const build = () => workflow.jobs.build;
  const runsOf = (j: Job) => j.steps.flatMap((step) => (step.run ? [step.run] : []));

  it('deploys on push to main, one run at a time, never cancelling a running apply', () => {
    expect(workflow.on.push?.branches).toEqual(['main']);
    expect(workflow.concurrency).toEqual({ group: 'deploy-prod', 'cancel-in-progress': false });
  });

  it('runs in the protected prod environment', () => {
    expect(job().environment?.name).toBe('prod');
  });

  it('gets AWS credentials only through OIDC: the deploy role from a repository variable, no keys', () => {
    const aws = job().steps.find((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );

    expect(workflow.permissions).toEqual({});
    expect(job().permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(build().permissions).toEqual({ contents: 'read' });
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(text).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./,
    );
  });

  it('builds the commit it checked out in a job without AWS access, then pushes, deploys and verifies it, in that order', () => {
    const deployRuns = runsOf(job());
    const order = ['nx run api:push', 'nx run infra:deploy', 'prod-e verify'].map((command) =>
      deployRuns.findIndex((run) => run.includes(command)),
    );

    expect(workflow.env.PROD_E_IMAGE_TAG).toBe('${{ github.sha }}');
    expect(job().needs).toBe('build');
    expect(runsOf(build()).some((run) => run.includes('nx run api:container'))).toBe(true);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect([...runsOf(build()), ...deployRuns].join('\n')).not.toMatch(/latest/);
  });

  it('hands the image over as an artifact: build saves and uploads it, deploy downloads and loads it', () => {
    const uploaded = build().steps.find((step) =>
      step.uses?.startsWith('actions/upload-artifact@'),
    );
    const downloaded = job().steps.find((step) =>
      step.uses?.startsWith('actions/download-artifact@'),
    );

    expect(runsOf(build()).some((run) => run.includes('docker image save'))).toBe(true);
    expect(runsOf(job()).some((run) => run.includes('docker image load'))).toBe(true);
    expect(downloaded?.with?.name).toBe(uploaded?.with?.name);
  });

  it('installs a fixed Terraform release that meets the stacks’ required version', () => {
    const terraform = job().steps.find((step) =>
      step.uses?.startsWith('hashicorp/setup-terraform@'),
    );
    const version = String(terraform?.with?.terraform_version);
    const parts = (v: string) => v.split('.').map(Number);

    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const [major, minor, patch] = parts(version);
    const [minMajor, minMinor, minPatch] = parts(MINIMUM_TERRAFORM_VERSION);
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(
      minMajor * 1e6 + minMinor * 1e3 + minPatch,
    );
  });

  it("never passes `--env` to an nx target (Nx's run-commands owns that option name)", () => {
    const nxRuns = [...runsOf(build()), ...runsOf(job())].filter((run) => run.includes('nx run'));

    expect(nxRuns.length).toBeGreaterThan(0);
    expect(nxRuns.filter((run) => /--env\b/.test(run))).toEqual([]);
  });
});
