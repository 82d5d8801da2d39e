import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadDeploymentSettings } from '@prod-e/deployment';
import { prodDeploymentInput } from '@prod-e/deployment/testing';
import { Testing } from 'cdktf';

import { buildApp } from '../app';
import { mermaidDiagram } from '../diagram/mermaid';
import type { TerraformJson } from '../policy';

/**
 * `nx run infra:diagram`: the prod stack with default settings (a fixed image tag, so the file only
 * changes when the infrastructure does) as a Mermaid flowchart in docs/diagrams/infra.md.
 */
function main(): void {
  const settings = loadDeploymentSettings(prodDeploymentInput);
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

main();
