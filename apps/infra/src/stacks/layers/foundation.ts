import { type DeploymentSettings, type ResourceNames, resourceTags } from '@prod-e/deployment';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktf';

import type { AwsEnvironment } from '../../constructs/aws-environment';
import { Encryption } from '../../constructs/encryption';
import { configureBackend, requireTerraformVersion } from '../../constructs/state-backend';

export interface Foundation {
  readonly aws: AwsEnvironment;
  readonly partition: DataAwsPartition;
  readonly encryption: Encryption;
}

/** The provider's settings every region's provider shares. */
export function providerDefaults(settings: DeploymentSettings) {
  return {
    allowedAccountIds: settings.accountId ? [settings.accountId] : undefined,
    // Every resource carries Project/Environment/ManagedBy; `prod-e resources` finds them by it.
    defaultTags: [{ tags: { ...resourceTags(settings.environment) } }],
  };
}

/** Provider, state backend, Terraform version, who and where we are, and the stack's one key. */
export function buildFoundation(
  stack: TerraformStack,
  settings: DeploymentSettings,
  names: ResourceNames,
): Foundation {
  const { region } = settings;
  new AwsProvider(stack, 'aws', { region, ...providerDefaults(settings) });
  configureBackend(stack, {
    kind: settings.stateBackend,
    names,
    region,
    accountId: settings.accountId,
  });
  requireTerraformVersion(stack);
  const partition = new DataAwsPartition(stack, 'partition');
  const aws: AwsEnvironment = {
    accountId: new DataAwsCallerIdentity(stack, 'caller').accountId,
    partition: partition.partition,
    region,
  };
  // One customer-managed key for logs, images, secrets, database and alarms.
  const encryption = new Encryption(stack, 'encryption', { aws, alias: names.stack });
  return { aws, partition, encryption };
}
