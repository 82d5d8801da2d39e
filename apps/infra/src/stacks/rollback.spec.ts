import type { TerraformJson } from '../policy';
import { all, only, synthesize, taskDefinitionOf } from '../testing/synth';

type Status = 'ACTIVE' | 'INACTIVE';

/**
 * What `terraform apply` leaves behind when deploys replace the task definition (any change to
 * its container definitions forces a new revision): the provider deregisters the replaced
 * revision on destroy, unless `skip_destroy` keeps it registered.
 */
function revisionsAfterDeploys(json: TerraformJson, deploys: number): Map<number, Status> {
  const skipDestroy = taskDefinitionOf(json).skip_destroy === true;
  const revisions = new Map<number, Status>();
  for (let revision = 1; revision <= deploys; revision++) {
    if (revision > 1 && !skipDestroy) revisions.set(revision - 1, 'INACTIVE');
    revisions.set(revision, 'ACTIVE');
  }
  return revisions;
}

/** `prod-e rollback`'s choice: the newest ACTIVE revision older than the current one. */
function rollbackTarget(revisions: Map<number, Status>, current: number): number | undefined {
  return [...revisions]
    .filter(([revision, status]) => status === 'ACTIVE' && revision < current)
    .map(([revision]) => revision)
    .sort((a, b) => b - a)[0];
}

describe('GIVEN three deploys of the synthesized task definition', () => {
  const { json } = synthesize();

  it('THEN the previous revisions stay ACTIVE and rollback finds the one before the current', () => {
    const revisions = revisionsAfterDeploys(json, 3);
    expect([...revisions.values()]).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(rollbackTarget(revisions, 3)).toBe(2);
  });

  it('THEN the task definition is kept on replacement, while the service still follows the new one', () => {
    expect(taskDefinitionOf(json).skip_destroy).toBe(true);
    const service = only(json, 'aws_ecs_service');
    expect(service.task_definition).toMatch(/^\$\{aws_ecs_task_definition\.[\w-]+\.arn\}$/);
    expect(service.lifecycle?.ignore_changes ?? []).not.toContain('task_definition');
  });

  it('THEN the registry keeps enough tagged images for the revisions rollback can reach', () => {
    const { bootstrap } = synthesize();
    const lifecycle = all(bootstrap.toTerraform() as TerraformJson, 'aws_ecr_lifecycle_policy');
    for (const policy of lifecycle) {
      const tagged = JSON.parse(policy.policy).rules.find(
        (rule: { selection: { tagStatus: string } }) => rule.selection.tagStatus === 'tagged',
      );
      expect(tagged.selection.countNumber).toBeGreaterThanOrEqual(2);
    }
  });
});
