import type { DeploymentSettings } from '@prod-e/config';
import { App } from 'cdktf';

import { BootstrapStack } from './stacks/bootstrap-stack';
import { ServiceStack } from './stacks/service-stack';

export interface InfraApp {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly service: ServiceStack;
}

/** The app for one environment: its bootstrap stack and its service stack. */
export function buildApp(
  settings: DeploymentSettings,
  options: { outdir?: string } = {},
): InfraApp {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  return {
    app,
    bootstrap: new BootstrapStack(app, settings),
    service: new ServiceStack(app, settings),
  };
}
