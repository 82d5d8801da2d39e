import {
  type DeploymentSettings,
  PROJECT,
  type ResourceNames,
  resourceNames,
} from '@prod-e/deployment';
import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

import { invariantAspects } from '../aspects/invariants';
import { PermissionsBoundaryAspect } from '../aspects/permissions-boundary';
import type { ServiceAutoscaling } from '../constructs/autoscaling';
import type { Database } from '../constructs/database';
import type { Encryption } from '../constructs/encryption';
import type { ServiceRoles } from '../constructs/iam';
import type { LoadBalancer } from '../constructs/load-balancer';
import type { ServiceLogs } from '../constructs/logs';
import type { MigrationRun } from '../constructs/migrations';
import type { Monitoring } from '../constructs/monitoring';
import type { Network } from '../constructs/network';
import { repositoryReference, type RepositoryReference } from '../constructs/registry';
import type { ApiTokenSecret } from '../constructs/secrets';
import type { SecurityGroups } from '../constructs/security-groups';
import type { FargateService } from '../constructs/service';
import { buildComputeLayer } from './layers/compute';
import { buildDataLayer } from './layers/data';
import { buildEdge, type Edge } from './layers/edge';
import { buildFoundation } from './layers/foundation';
import { buildNetworkLayer } from './layers/network';
import { buildOperationsLayer } from './layers/operations';
import { addOutputs } from './layers/outputs';

/** The API's database and its owner: derived from the project name, never typed twice. */
export const DATABASE_NAME = PROJECT.replace(/-/g, '_');
export const DATABASE_MASTER_USERNAME = `${DATABASE_NAME}_admin`;

/**
 * One environment's whole AWS home: stack id `prod-e` for prod, `prod-e-<env>` otherwise. Built
 * layer by layer (stacks/layers/): foundation, network, edge, data, operations, compute, outputs.
 */
export class ServiceStack extends TerraformStack {
  public readonly settings: DeploymentSettings;
  public readonly names: ResourceNames;
  public readonly encryption: Encryption;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  /** How the internet reaches the tasks: ALB, certificate or CloudFront, web ACLs, the URL. */
  public readonly edge: Edge;
  public readonly loadBalancer: LoadBalancer;
  /** The image repository, made by the account bootstrap. */
  public readonly registry: RepositoryReference;
  public readonly database: Database;
  public readonly apiTokenSecret: ApiTokenSecret;
  public readonly logs: ServiceLogs;
  public readonly roles: ServiceRoles;
  public readonly monitoring: Monitoring;
  public readonly fargate: FargateService;
  public readonly migrations?: MigrationRun;
  public readonly autoscaling: ServiceAutoscaling;

  constructor(scope: Construct, settings: DeploymentSettings) {
    const names = resourceNames(settings.environment);
    super(scope, names.stack);
    this.settings = settings;
    this.names = names;
    const { aws, partition, encryption } = buildFoundation(this, settings, names);
    this.encryption = encryption;
    const kmsKeyArn = encryption.key.arn;
    const networkLayer = buildNetworkLayer(this, { settings, names, aws, kmsKeyArn });
    ({ network: this.network, securityGroups: this.securityGroups } = networkLayer);
    this.edge = buildEdge(this, { settings, names, networkLayer });
    this.loadBalancer = this.edge.loadBalancer;
    // Made by the account bootstrap before the first push.
    this.registry = repositoryReference(aws, partition.dnsSuffix, names.ecrRepository);
    const data = buildDataLayer(this, {
      settings,
      names,
      aws,
      kmsKeyArn,
      networkLayer,
      databaseName: DATABASE_NAME,
      masterUsername: DATABASE_MASTER_USERNAME,
    });
    ({ database: this.database, apiTokenSecret: this.apiTokenSecret } = data);
    const operations = buildOperationsLayer(this, {
      ...{ settings, names, aws, kmsKeyArn, data, edge: this.edge },
      registry: this.registry,
    });
    ({ logs: this.logs, roles: this.roles, monitoring: this.monitoring } = operations);
    const compute = buildComputeLayer(this, {
      ...{ settings, names, kmsKeyArn, networkLayer, data, operations, edge: this.edge },
      databaseName: DATABASE_NAME,
      registry: this.registry,
    });
    ({
      fargate: this.fargate,
      migrations: this.migrations,
      autoscaling: this.autoscaling,
    } = compute);
    addOutputs(this, { edge: this.edge, compute, operations, data, registry: this.registry });

    for (const aspect of invariantAspects()) Aspects.of(this).add(aspect);
    // Every role here carries the boundary the bootstrap made: the deploy role may create no other.
    Aspects.of(this).add(
      new PermissionsBoundaryAspect(
        `arn:${aws.partition}:iam::${aws.accountId}:policy/${names.permissionsBoundary}`,
      ),
    );
  }
}
