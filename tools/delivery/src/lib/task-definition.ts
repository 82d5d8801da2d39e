import { readFile } from 'node:fs/promises';

import { CliError } from '@prod-e/cli-kit';
import type { ResourceNames } from '@prod-e/deployment';

import { fromRoot } from './paths';

/** The parts of an ECS container definition the delivery checks read. */
export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly user?: string;
  readonly readonlyRootFilesystem?: boolean;
  readonly healthCheck?: { readonly command: readonly string[] };
}

interface SynthesizedStack {
  resource?: {
    aws_ecs_task_definition?: Record<
      string,
      {
        family?: string;
        container_definitions?: string;
        runtime_platform?: { cpu_architecture?: string };
      }
    >;
  };
}

export interface SynthesizedTaskDefinition {
  readonly family: string;
  /** `X86_64` or `ARM64`; Fargate's default when unset is X86_64. */
  readonly cpuArchitecture: string;
  readonly container: ContainerDefinition;
}

/**
 * The service's task definition and its API container from a synthesized stack (cdk.tf.json):
 * the family and container names come from resourceNames, the container definitions are the
 * JSON string Terraform passes to ECS as is.
 */
export function serviceTaskDefinition(
  stack: unknown,
  names: ResourceNames,
): SynthesizedTaskDefinition {
  const definitions = Object.values(
    (stack as SynthesizedStack).resource?.aws_ecs_task_definition ?? {},
  );
  const task = definitions.find((definition) => definition.family === names.taskFamily);
  if (!task?.container_definitions) {
    throw new CliError(
      `The synthesized stack has no task definition of family ${names.taskFamily}.`,
    );
  }
  const containers = JSON.parse(task.container_definitions) as ContainerDefinition[];
  const container = containers.find((candidate) => candidate.name === names.container);
  if (!container) {
    throw new CliError(
      `Task definition ${names.taskFamily} has no container named ${names.container}.`,
    );
  }
  return {
    family: names.taskFamily,
    cpuArchitecture: task.runtime_platform?.cpu_architecture ?? 'X86_64',
    container,
  };
}

export async function readSynthesizedStack(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CliError(
      `Cannot read the synthesized stack ${fromRoot(file)}: run \`npx nx run infra:synth\`.`,
      {
        cause,
      },
    );
  }
}
