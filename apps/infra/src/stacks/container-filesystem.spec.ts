/* eslint-disable @typescript-eslint/no-explicit-any -- edits untyped Terraform JSON */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DockerfileParser } from 'dockerfile-ast';

import { CONTAINER_USER, ECS_EXEC_AGENT_PATHS, SCRATCH_VOLUME } from '../constructs/service';
import { evaluatePolicies, type TerraformJson } from '../policy';
import { containerOf, only, synthesize, taskDefinitionOf } from '../testing/synth';

const DOCKERFILE = path.resolve(__dirname, '../../../../docker/api.Dockerfile');

/** The runtime (last) stage's instructions, as `KEYWORD arguments`. */
function runtimeInstructions(): string[] {
  const dockerfile = DockerfileParser.parse(readFileSync(DOCKERFILE, 'utf8'));
  const from = dockerfile.getFROMs().at(-1)!;
  const stage = dockerfile.getContainingImage(from.getRange().start)!;
  return stage
    .getInstructions()
    .map((i) => `${i.getKeyword()} ${i.getArgumentsContent() ?? ''}`.trim());
}

describe('GIVEN the image and the task definition together', () => {
  const { json } = synthesize();
  const instructions = runtimeInstructions();
  const user = instructions.findIndex((i) => i.startsWith('USER '));

  it('THEN the image declares the scratch volume at exactly the task definition’s mount path', () => {
    const [mount] = containerOf(json).mountPoints;
    expect(mount).toEqual({
      sourceVolume: SCRATCH_VOLUME.name,
      containerPath: SCRATCH_VOLUME.containerPath,
      readOnly: false,
    });
    expect(taskDefinitionOf(json).volume).toEqual([{ name: SCRATCH_VOLUME.name }]);
    expect(instructions).toContain(`VOLUME ${JSON.stringify([SCRATCH_VOLUME.containerPath])}`);
  });

  it('THEN the declared directory belongs to the container user before the image drops root', () => {
    const chown = instructions.findIndex((i) =>
      new RegExp(`^RUN .*chown ${CONTAINER_USER} ${SCRATCH_VOLUME.containerPath}( |$)`).test(i),
    );
    const volume = instructions.findIndex((i) => i.startsWith('VOLUME '));
    expect(chown).toBeGreaterThanOrEqual(0);
    // Instructions after VOLUME cannot change it; the chown must also run as root.
    expect(chown).toBeLessThan(volume);
    expect(volume).toBeLessThan(user);
    expect(containerOf(json).user).toBe(CONTAINER_USER);
  });
});

describe('GIVEN ECS Exec', () => {
  it('THEN it is off by default, and no agent volume is mounted', () => {
    const { json } = synthesize();
    expect(only(json, 'aws_ecs_service').enable_execute_command).toBe(false);
    expect(containerOf(json).mountPoints).toHaveLength(1);
  });

  it('WHEN turned on THEN the agent paths are writable volumes beside the read-only root', () => {
    const { json } = synthesize({ enableExecuteCommand: true });
    const container = containerOf(json);
    expect(container.readonlyRootFilesystem).toBe(true);
    const paths = container.mountPoints.map((m: { containerPath: string }) => m.containerPath);
    expect(paths).toEqual([SCRATCH_VOLUME.containerPath, ...ECS_EXEC_AGENT_PATHS]);
    const volumes = taskDefinitionOf(json).volume.map((v: { name: string }) => v.name);
    expect(container.mountPoints.map((m: { sourceVolume: string }) => m.sourceVolume)).toEqual(
      volumes,
    );
    expect(evaluatePolicies(json).violations.filter((v) => v.ruleId === 'PRODE-ECS-EXEC')).toEqual(
      [],
    );
  });

  it('errors in the policy rules when Exec is on over a read-only root without the agent paths', () => {
    const { json } = synthesize({ enableExecuteCommand: true });
    const broken = structuredClone(json) as TerraformJson & { resource: Record<string, any> };
    const [task] = Object.values<Record<string, any>>(broken.resource.aws_ecs_task_definition);
    const containers = JSON.parse(task.container_definitions);
    containers[0].mountPoints = containers[0].mountPoints.slice(0, 1);
    task.container_definitions = JSON.stringify(containers);
    const findings = evaluatePolicies(broken).violations.filter(
      (v) => v.ruleId === 'PRODE-ECS-EXEC',
    );
    expect(findings.map((f) => f.message)).toEqual([
      `ECS Exec is on but container prod-e-container has a read-only root without writable ${ECS_EXEC_AGENT_PATHS.join(', ')}`,
    ]);
  });
});
