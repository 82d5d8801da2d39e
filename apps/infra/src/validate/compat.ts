/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped Terraform JSON */
import type { TerraformJson } from '../policy';

/**
 * Makes a synthesized stack plannable offline with the mirror's provider:
 * - pins the AWS provider to the mirror's version;
 * - drops the backend: `init -backend=false` cannot plan against S3, and an offline plan is the
 *   first plan into an empty account anyway;
 * - when the mirror's provider is older than the bindings' (6.x), removes the few blocks 5.x
 *   does not know, listed in {@link SIX_X_ONLY}, and says so.
 */
export function adaptToProvider(
  stack: TerraformJson,
  providerVersion: string,
): { json: TerraformJson; leftOut: string[] } {
  const json = structuredClone(stack);
  const leftOut: string[] = [];
  const terraform = isRecord(json.terraform) ? json.terraform : {};
  const aws = isRecord(terraform.required_providers) ? terraform.required_providers.aws : undefined;
  if (isRecord(aws) && aws.version !== providerVersion) {
    const pinned = typeof aws.version === 'string' ? aws.version : 'unpinned';
    leftOut.push(`provider hashicorp/aws pinned ${pinned} → ${providerVersion} (the mirror's)`);
    aws.version = providerVersion;
  }
  if (isRecord(terraform.backend)) {
    leftOut.push(
      `backend "${Object.keys(terraform.backend).join(',')}" dropped (plan starts from empty state)`,
    );
    delete terraform.backend;
  }
  if (Number(providerVersion.split('.')[0]) < 6) {
    for (const rule of SIX_X_ONLY) {
      for (const [name, resource] of Object.entries(json.resource?.[rule.type] ?? {})) {
        if (rule.remove(resource)) leftOut.push(`${rule.type}.${name}: ${rule.what} (${rule.why})`);
      }
    }
  }
  return { json, leftOut };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

interface SixOnlyRule {
  readonly type: string;
  readonly what: string;
  readonly why: string;
  /** Removes the block from the resource; true when there was one. */
  remove(resource: Record<string, any>): boolean;
}

function removeKey(object: Record<string, any> | undefined, key: string): boolean {
  if (!object || object[key] === undefined) return false;
  delete object[key];
  return true;
}

/**
 * Blocks of provider 6.x that 5.x rejects, with the release that added them. The edge of every TLS
 * mode needs none: `aws_cloudfront_vpc_origin`, the distribution's `origin.vpc_origin_config`,
 * the ALB's `xff_header_processing_mode` and WAF's `rate_based_statement.evaluation_window_sec`
 * are all in 5.100's schema (`terraform providers schema -json`), so the CloudFront, domain and
 * certificate variants are planned whole.
 */
export const SIX_X_ONLY: readonly SixOnlyRule[] = [
  {
    type: 'aws_ecs_service',
    what: 'deployment_configuration (strategy BLUE_GREEN, bake time) left out',
    why: 'ECS-native blue/green arrived in provider 6.4.0',
    remove: (service) => removeKey(service, 'deployment_configuration'),
  },
  {
    type: 'aws_ecs_service',
    what: 'load_balancer.advanced_configuration (alternate target group, production rule, role) left out',
    why: 'ECS-native blue/green arrived in provider 6.4.0',
    remove: (service) =>
      [service.load_balancer ?? []]
        .flat()
        .map((lb: Record<string, any>) => removeKey(lb, 'advanced_configuration'))
        .some(Boolean),
  },
];
