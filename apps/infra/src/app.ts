import {
  COMMITTED_ENVIRONMENTS,
  type DeploymentSettings,
  loadDeploymentSettings,
} from '@prod-e/deployment';
import { App } from 'cdktf';

import { BootstrapStack } from './stacks/bootstrap-stack';
import { ServiceStack } from './stacks/service-stack';

export interface InfraApp {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly service: ServiceStack;
}

/**
 * Every environment sharing the account and region of `settings`: `settings` itself first, then
 * the other committed ones there (the bootstrap serves them all).
 */
export function accountEnvironments(settings: DeploymentSettings): DeploymentSettings[] {
  const others = Object.values(COMMITTED_ENVIRONMENTS)
    .filter(
      (input) =>
        input.environment !== settings.environment &&
        input.accountId === settings.accountId &&
        (input.region ?? settings.region) === settings.region,
    )
    .map((input) => loadDeploymentSettings({ ...input, imageTag: settings.imageTag }));
  return [settings, ...others];
}

/** The app for one environment: its account's bootstrap stack and its service stack. */
export function buildApp(
  settings: DeploymentSettings,
  options: { outdir?: string } = {},
): InfraApp {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  return {
    app,
    bootstrap: new BootstrapStack(app, accountEnvironments(settings)),
    service: new ServiceStack(app, settings),
  };
}
