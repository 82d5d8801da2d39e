import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadDeploymentSettings } from '@prod-e/deployment';
import { prodDeploymentInput } from '@prod-e/deployment/testing';

import { buildApp } from '../app';
import type { TerraformJson } from '../policy';
import { report, tempOutdir } from './measure';

/** Bench child: the whole prod app (service + bootstrap stacks), per-resource imports. */
const outdir = tempOutdir();
const { app, service } = buildApp(loadDeploymentSettings(prodDeploymentInput), { outdir });
app.synth();
const json = JSON.parse(
  readFileSync(path.join(app.outdir, 'stacks', service.node.id, 'cdk.tf.json'), 'utf8'),
) as TerraformJson;
report(
  Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0),
  outdir,
);
