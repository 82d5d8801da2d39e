import { type DeploymentSettings, resourceNames, resourceTags } from '@prod-e/config';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

import { configureBackend, StateStorage, stateBucketName } from '../constructs/state-backend';

/** Stack id of an environment's bootstrap stack: `prod-e-bootstrap` for prod. */
export function bootstrapStackId(environment: string): string {
  return `${resourceNames(environment).stack}-bootstrap`;
}

/**
 * Creates the remote state's bucket and lock table. Applied once per environment, before the
 * service stack, and keeps its own (small) state in a local file.
 */
export class BootstrapStack extends TerraformStack {
  public readonly storage: StateStorage;

  constructor(scope: Construct, settings: DeploymentSettings) {
    super(scope, bootstrapStackId(settings.environment));
    const names = resourceNames(settings.environment);
    new AwsProvider(this, 'aws', {
      region: settings.region,
      allowedAccountIds: settings.accountId ? [settings.accountId] : undefined,
      defaultTags: [{ tags: { ...resourceTags(settings.environment) } }],
    });
    configureBackend(this, { kind: 'local', names, region: settings.region });
    this.storage = new StateStorage(this, 'state', {
      bucketName: stateBucketName(names, settings.accountId),
      lockTableName: names.stateLockTable,
    });
    new TerraformOutput(this, 'state_bucket', { value: this.storage.bucket.bucket });
    new TerraformOutput(this, 'lock_table', { value: this.storage.lockTable.name });
  }
}
