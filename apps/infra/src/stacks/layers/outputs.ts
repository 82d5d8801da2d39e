import { SERVICE_URL_OUTPUT, TASK_DEFINITION_OUTPUT } from '@prod-e/deployment';
import { TerraformOutput, type TerraformStack } from 'cdktf';

import type { RepositoryReference } from '../../constructs/registry';
import type { ComputeLayer } from './compute';
import type { DataLayer } from './data';
import type { Edge } from './edge';
import type { OperationsLayer } from './operations';

/** The stack's outputs: never a password (the database secret is referenced by ARN only). */
export function addOutputs(
  stack: TerraformStack,
  layers: {
    edge: Edge;
    compute: ComputeLayer;
    operations: OperationsLayer;
    data: DataLayer;
    registry: RepositoryReference;
  },
): void {
  const output = (id: string, value: string, description: string) =>
    new TerraformOutput(stack, id, { value, description });
  const { edge, compute } = layers;
  output('alb_dns_name', edge.loadBalancer.alb.dnsName, 'DNS name of the ALB');
  output(
    SERVICE_URL_OUTPUT,
    edge.serviceUrl,
    'Base URL of the API: what deploy verification, status and smoke probe',
  );
  output('cluster_name', compute.fargate.cluster.name, 'ECS cluster');
  output('service_name', compute.fargate.service.name, 'ECS service');
  output(
    TASK_DEFINITION_OUTPUT,
    compute.fargate.taskDefinition.arn,
    'Task definition revision the service runs',
  );
  output('ecr_repository_url', layers.registry.url, 'Push images here');
  output('log_group_name', layers.operations.logs.logGroup.name, 'Container logs');
  output(
    'database_endpoint',
    layers.data.database.instance.endpoint,
    'PostgreSQL host:port (credentials are in Secrets Manager)',
  );
}
