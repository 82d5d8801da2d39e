import os from 'node:os';
import path from 'node:path';

import { type DeploymentSettingsInput, loadDeploymentSettings } from '@prod-e/deployment';
import { prodDeploymentInput } from '@prod-e/deployment/testing';
import { App, Testing } from 'cdktf';

import { buildApp, type InfraApp } from '../app';
import { block, parseJson, type TerraformJson, type TfValues } from '../policy';

const UNWRITTEN_OUTDIR = path.join(os.tmpdir(), 'prod-e-infra-unwritten');

/** An app for construct tests: one fixed outdir instead of a new temp dir per test. */
export function testApp(): App {
  return new App({ outdir: UNWRITTEN_OUTDIR });
}

export interface Synthesized extends InfraApp {
  /** `Testing.synth` output (no metadata), for the cdktf matchers. */
  readonly synth: string;
  /** The resolved stack JSON with construct paths, for the policy engine and direct assertions. */
  readonly json: TerraformJson;
}

/** Synthesizes one environment's service stack from settings input (prod by default). */
export function synthesize(overrides: Partial<DeploymentSettingsInput> = {}): Synthesized {
  const settings = loadDeploymentSettings({ ...prodDeploymentInput, ...overrides });
  // Tests never write the app out, so the outdir is only a path (Testing.app() would mkdtemp one).
  const built = buildApp(settings, { outdir: UNWRITTEN_OUTDIR });
  const synth = Testing.synth(built.service);
  return { ...built, synth, json: built.service.toTerraform() as TerraformJson };
}

/** The one resource of a type (fails loudly when there are none or several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function only(json: TerraformJson, type: string): Record<string, any> {
  const found = Object.values(json.resource?.[type] ?? {});
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** Every resource of a type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function all(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The task definition the service runs (not the migration task's). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function taskDefinitionOf(json: TerraformJson): Record<string, any> {
  const reference = String(only(json, 'aws_ecs_service').task_definition);
  const id = /^\$\{aws_ecs_task_definition\.([\w-]+)\.arn\}$/.exec(reference)?.[1];
  const found = id && json.resource?.aws_ecs_task_definition?.[id];
  if (!found) throw new Error(`the service's task definition ${reference} is not in the stack`);
  return found;
}

/** The service task definition's (only) container definition, parsed. */
export function containerOf(json: TerraformJson): TfValues {
  const container = block(parseJson(taskDefinitionOf(json).container_definitions));
  if (!container) throw new Error("the service's task definition has no container definition");
  return container;
}

/** A resource's construct path inside the stack (from the JSON metadata). */
export function pathOf(resource: TfValues): string {
  const metadata = block(block(resource['//'])?.metadata);
  return (typeof metadata?.path === 'string' ? metadata.path : '').split('/').slice(1).join('/');
}
