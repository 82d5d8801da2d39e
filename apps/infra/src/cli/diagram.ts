import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '@prod-e/cli-kit';
import {
  committedSettingsInput,
  loadDeploymentSettings,
  PRIMARY_ENVIRONMENT,
} from '@prod-e/deployment';
import { Testing } from 'cdktf';

import { buildApp } from '../app';
import { mermaidDiagram } from '../diagram/mermaid';
import type { TerraformJson } from '../policy';

/** A fixed image tag, so the diagram only changes when the infrastructure does. */
const DIAGRAM_IMAGE_TAG = 'diagram';

/**
 * `nx run infra:diagram`: the committed prod stack as a Mermaid flowchart in
 * docs/diagrams/infra.md.
 */
function main(): void {
  const settings = loadDeploymentSettings({
    ...committedSettingsInput(PRIMARY_ENVIRONMENT),
    imageTag: DIAGRAM_IMAGE_TAG,
  });
  // Only the service stack's JSON is needed; nothing is written to the outdir.
  const { service } = buildApp(settings, { outdir: path.join(os.tmpdir(), 'prod-e-diagram') });
  Testing.synth(service); // runs the aspects, as a real synth does
  const markdown = mermaidDiagram(
    service.toTerraform() as TerraformJson,
    `Infrastructure: the ${service.node.id} stack`,
  );
  const target = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'diagrams', 'infra.md');
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, markdown);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), target)}\n`);
}

void runCli('infra:diagram', main);
