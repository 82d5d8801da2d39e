import { readFile } from 'node:fs/promises';

import { parse } from 'yaml';

import { DEPLOY_WORKFLOW } from '../src/lib/paths';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}
interface Workflow {
  on: { push?: { branches: string[] } };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<
    string,
    { environment?: { name: string }; env?: Record<string, string>; steps: Step[] }
  >;
}

describe('.github/workflows/deploy.yml', () => {
  let text: string;
  let workflow: Workflow;
  beforeAll(async () => {
    text = await readFile(DEPLOY_WORKFLOW, 'utf8');
    workflow = parse(text) as Workflow;
  });
  const job = () => workflow.jobs.deploy;

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

    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(text).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./,
    );
  });

  it('builds, pushes, deploys and verifies the commit it checked out, in that order', () => {
    const runs = job().steps.flatMap((step) => (step.run ? [step.run] : []));
    const order = [
      'nx run api:container',
      'nx run api:push',
      'nx run infra:deploy',
      'prod-e verify',
    ].map((command) => runs.findIndex((run) => run.includes(command)));

    expect(job().env?.PROD_E_IMAGE_TAG).toBe('${{ github.sha }}');
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs.join('\n')).not.toMatch(/latest/);
  });

  it("never passes `--env` to an nx target (Nx's run-commands owns that option name)", () => {
    const nxRuns = job().steps.flatMap((step) => (step.run?.includes('nx run') ? [step.run] : []));

    expect(nxRuns.length).toBeGreaterThan(0);
    expect(nxRuns.filter((run) => /--env\b/.test(run))).toEqual([]);
  });
});
