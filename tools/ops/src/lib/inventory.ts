import { type ResourceNames, resourceTags } from '@prod-e/deployment';

import { type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';

import { type TaggingApi } from './aws';
import { allPages } from './paginate';

/** A tagged resource as the inventory sees it: `kind` is `<service>:<type>` (`ecs:cluster`). */
export interface TaggedResource {
  arn: string;
  kind: string;
  name: string;
}

export type InventoryStatus = 'ok' | 'missing' | 'unverified' | 'other' | 'unexpected';

export interface InventoryRow {
  status: InventoryStatus;
  kind: string;
  name: string;
  arn: string | null;
  note: string | null;
}

interface Expected {
  kind: string;
  name: string;
  /** Set when the Tagging API may not list the resource, so absence is not proof. */
  unverifiable?: string;
}

/** Kinds the stack creates exactly by name: any other of these kinds is unexpected. */
const NAMED_KINDS = new Set([
  'ecs:cluster',
  'ecs:service',
  'elasticloadbalancing:loadbalancer',
  'elasticloadbalancing:targetgroup',
  'rds:db',
  'ecr:repository',
]);

/** Kinds the stack creates in numbers we do not pin down (listeners, routes, alarms...). */
const SUPPORTING_KINDS = new Set([
  'application-autoscaling:scalable-target',
  'cloudwatch:alarm',
  'ec2:elastic-ip',
  'ec2:internet-gateway',
  'ec2:natgateway',
  'ec2:route-table',
  'ec2:security-group',
  'ec2:security-group-rule',
  'ec2:subnet',
  'ec2:vpc',
  'ec2:vpc-flow-log',
  'ecs:task-definition',
  'elasticloadbalancing:listener',
  'elasticloadbalancing:listener-rule',
  'iam:policy',
  'iam:role',
  'kms:key',
  'logs:log-group',
  'rds:pg',
  'rds:subgrp',
  'secretsmanager:secret',
  'sns:',
  'wafv2:regional',
]);

const IAM_NOTE = 'IAM is global: the Tagging API may not list roles in this region';

/** What the stack must contain, by the names libs/api-config makes. */
export function expectedResources(names: ResourceNames): Expected[] {
  return [
    { kind: 'ecs:cluster', name: names.cluster },
    { kind: 'ecs:service', name: names.service },
    { kind: 'ecs:task-definition', name: names.taskFamily },
    { kind: 'elasticloadbalancing:loadbalancer', name: names.loadBalancer },
    { kind: 'elasticloadbalancing:targetgroup', name: names.targetGroup },
    { kind: 'rds:db', name: names.database },
    { kind: 'ecr:repository', name: names.ecrRepository },
    { kind: 'logs:log-group', name: names.logGroup },
    { kind: 'secretsmanager:secret', name: names.apiTokenSecret },
    { kind: 'ec2:vpc', name: names.vpc },
    { kind: 'ec2:subnet', name: names.privateSubnets[0] },
    { kind: 'ec2:subnet', name: names.privateSubnets[1] },
    { kind: 'ec2:security-group', name: names.serviceSecurityGroup },
    { kind: 'iam:role', name: names.executionRole, unverifiable: IAM_NOTE },
    { kind: 'iam:role', name: names.taskRole, unverifiable: IAM_NOTE },
  ];
}

/** Splits an ARN's resource part into kind and name, with the per-service naming quirks. */
export function describeArn(mapping: ResourceTagMapping): TaggedResource | undefined {
  const arn = mapping.ResourceARN;
  if (!arn) return undefined;
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const slash = resource.indexOf('/');
  const colon = resource.indexOf(':');
  const cut = [slash, colon].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const type = cut === undefined ? '' : resource.slice(0, cut);
  const id = cut === undefined ? resource : resource.slice(cut + 1);
  const kind = `${service}:${type}`;
  const tagName = mapping.Tags?.find((t) => t.Key === 'Name')?.Value;
  const segments = id.split('/');
  let name: string;
  switch (kind) {
    case 'elasticloadbalancing:loadbalancer':
      name = segments[1] ?? id; // app/<name>/<id>
      break;
    case 'elasticloadbalancing:targetgroup':
      name = segments[0];
      break;
    case 'ecs:service':
    case 'iam:role':
      name = segments[segments.length - 1];
      break;
    case 'ecs:task-definition':
      name = id.split(':')[0];
      break;
    case 'secretsmanager:secret':
      name = id.replace(/-[A-Za-z0-9]{6}$/, ''); // Secrets Manager appends 6 random characters
      break;
    case 'logs:log-group':
      name = id.replace(/:\*$/, '');
      break;
    default:
      name = service === 'ec2' ? (tagName ?? id) : id;
  }
  return { arn, kind, name };
}

/** Every resource tagged for the environment (GetResources, all pages), optionally of some types. */
export async function listTaggedResources(
  tagging: TaggingApi,
  environment: string,
  resourceTypes?: string[],
): Promise<TaggedResource[]> {
  const tags = resourceTags(environment);
  const pages = await allPages(
    (PaginationToken) =>
      tagging.getResources({
        TagFilters: [
          { Key: 'Project', Values: [tags.Project] },
          { Key: 'Environment', Values: [tags.Environment] },
        ],
        ResourceTypeFilters: resourceTypes,
        ResourcesPerPage: 100,
        PaginationToken,
      }),
    (page) => page.PaginationToken,
  );
  return pages.flatMap((page) =>
    (page.ResourceTagMappingList ?? []).flatMap((mapping) => describeArn(mapping) ?? []),
  );
}

/** Matches found against expected: missing, unexpected and supporting resources, sorted. */
export function reconcile(names: ResourceNames, found: readonly TaggedResource[]): InventoryRow[] {
  const rows: InventoryRow[] = [];
  const matched = new Set<TaggedResource>();
  for (const expected of expectedResources(names)) {
    const hits = found.filter((r) => r.kind === expected.kind && r.name === expected.name);
    hits.forEach((hit) => matched.add(hit));
    if (hits.length) {
      rows.push(...hits.map((hit) => row('ok', hit.kind, hit.name, hit.arn, null)));
    } else {
      rows.push(
        row(
          expected.unverifiable ? 'unverified' : 'missing',
          expected.kind,
          expected.name,
          null,
          expected.unverifiable ?? null,
        ),
      );
    }
  }
  for (const resource of found) {
    if (matched.has(resource)) continue;
    const stray = NAMED_KINDS.has(resource.kind) || !SUPPORTING_KINDS.has(resource.kind);
    rows.push(
      row(
        stray ? 'unexpected' : 'other',
        resource.kind,
        resource.name,
        resource.arn,
        stray ? 'tagged for this environment but not part of the stack' : null,
      ),
    );
  }
  const order: InventoryStatus[] = ['missing', 'unexpected', 'unverified', 'ok', 'other'];
  return rows.sort(
    (a, b) =>
      order.indexOf(a.status) - order.indexOf(b.status) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name) ||
      (a.arn ?? '').localeCompare(b.arn ?? ''),
  );
}

function row(
  status: InventoryStatus,
  kind: string,
  name: string,
  arn: string | null,
  note: string | null,
): InventoryRow {
  return { status, kind, name, arn, note };
}
