import path from 'node:path';

import { buildApp } from './app';
import { ConfigError, settingsFromEnv } from './settings';

/** `nx run infra:synth`: settings from PROD_E_* variables, Terraform JSON into apps/infra/cdktf.out. */
function main(): void {
  try {
    const settings = settingsFromEnv();
    const { app, service, bootstrap } = buildApp(settings, {
      outdir: path.resolve(__dirname, '..', 'cdktf.out'),
    });
    app.synth();
    process.stdout.write(
      `Synthesized ${service.node.id} and ${bootstrap.node.id} (${settings.environment}, image ${settings.imageTag}) into ${app.outdir}\n`,
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

main();
