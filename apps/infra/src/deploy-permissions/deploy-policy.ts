import type { PolicyStatement } from '../constructs/iam-document';
import { DEPLOY_ACTION_TABLE, type GrantContext, type ResourceTypeGrant } from './action-table';

const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

function serviceOf(action: string): string {
  return action.split(':')[0];
}

/** `elasticloadbalancing` → `Elasticloadbalancing`: a Sid from a service prefix. */
function sidOf(service: string, suffix = ''): string {
  return (
    service
      .split(/[^a-z0-9]/i)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('') + suffix
  );
}

/**
 * The deploy role's statements for the service stack's resource types, from the action table:
 * the unscoped actions together on `*`; per service, the scoped actions on that service's
 * resources (the union over its types: each action only ever applies to its own resource types,
 * so merging keeps every grant inside this environment's names); role changes only with the
 * permissions boundary attached.
 */
export function deployPolicyStatements(
  context: GrantContext,
  boundaryArn: string,
  table: Readonly<Record<string, ResourceTypeGrant>> = DEPLOY_ACTION_TABLE,
): PolicyStatement[] {
  const grants = Object.values(table);
  const byService = new Map<string, { actions: Set<string>; resources: Set<string> }>();
  for (const grant of grants) {
    if (!grant.scoped) continue;
    const resources = grant.scoped.resources(context);
    for (const action of grant.scoped.actions) {
      const entry = byService.get(serviceOf(action)) ?? {
        actions: new Set(),
        resources: new Set(),
      };
      entry.actions.add(action);
      resources
        .filter((resource) => resource.includes(`:${serviceOf(action)}:`))
        .forEach((resource) => entry.resources.add(resource));
      byService.set(serviceOf(action), entry);
    }
  }
  const statements: PolicyStatement[] = [
    {
      Sid: 'ActionsWithoutResourceTypes',
      Effect: 'Allow',
      Action: sorted(grants.flatMap((grant) => grant.unscoped ?? [])),
      Resource: '*',
    },
  ];
  for (const [service, { actions, resources }] of [...byService].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    statements.push({
      Sid: sidOf(service, 'InThisEnvironment'),
      Effect: 'Allow',
      Action: sorted(actions),
      Resource: sorted(resources),
    });
  }
  const bounded = grants.filter((grant) => grant.requiresBoundary?.length);
  statements.push({
    Sid: 'IamRolesOnlyWithTheBoundary',
    Effect: 'Allow',
    Action: sorted(bounded.flatMap((grant) => grant.requiresBoundary ?? [])),
    Resource: sorted(bounded.flatMap((grant) => grant.scoped?.resources(context) ?? [])),
    Condition: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
  });
  return statements;
}
