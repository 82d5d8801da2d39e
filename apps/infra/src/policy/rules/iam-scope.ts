import { ACTIONS_WITHOUT_RESOURCE_TYPES } from '../../deploy-permissions/action-table';
import { finding, type PolicyContext, type PolicyRule } from '../engine';
import { allowStatements, policyDocuments, type Statement } from '../statements';

const WILDCARD = /[*?]/;

/** A statement's conditions by key (lower-cased: IAM compares keys case-insensitively). */
function conditionValues(
  statement: Statement,
): Map<string, { operator: string; values: string[] }> {
  const keys = new Map<string, { operator: string; values: string[] }>();
  for (const [operator, byKey] of Object.entries(statement.condition)) {
    for (const [key, value] of Object.entries(byKey ?? {})) {
      keys.set(key.toLowerCase(), { operator, values: [value].flat().map(String) });
    }
  }
  return keys;
}

/** The OIDC provider host a federated principal names (literal ARN, or a provider in the stack). */
function oidcHost(ctx: PolicyContext, principal: unknown): string | undefined {
  const federated = [(principal as { Federated?: unknown } | undefined)?.Federated ?? []]
    .flat()
    .map(String);
  for (const arn of federated) {
    const literal = /:oidc-provider\/(.+)$/.exec(arn)?.[1];
    if (literal) return literal;
    const provider = ctx.referenced(arn).find((r) => r.type === 'aws_iam_openid_connect_provider');
    if (provider) return String(provider.values.url ?? '').replace(/^https:\/\//, '');
  }
  return undefined;
}

/**
 * A web-identity trust names who may assume the role through two claims: `aud` (the token was
 * minted for STS) and `sub` (which workload). Either absent, or matched with a wildcard or a
 * set operator (`ForAnyValue:`/`ForAllValues:`, which pass on an absent claim), trusts more than
 * one workload.
 */
function oidcTrustProblems(ctx: PolicyContext, statement: Statement): string[] {
  const host = oidcHost(ctx, statement.principal);
  if (!host) return [];
  const conditions = conditionValues(statement);
  return [...claimProblems(host, conditions), ...unboundEnvironment(host, conditions)];
}

type Conditions = ReturnType<typeof conditionValues>;

function claimProblems(host: string, conditions: Conditions): string[] {
  return ['aud', 'sub'].flatMap((claim) => {
    const condition = conditions.get(`${host}:${claim}`.toLowerCase());
    if (!condition) return [`no ${claim} condition`];
    if (!/^String(Equals|Like)$/.test(condition.operator))
      return [`${claim} matched with ${condition.operator}`];
    const wild = condition.values.filter((v) => WILDCARD.test(v));
    return wild.length ? [`${claim} is a wildcard (${wild.join(', ')})`] : [];
  });
}

const GITHUB = 'token.actions.githubusercontent.com';

/**
 * A GitHub job in an environment presents `repo:<repo>:environment:<name>`, which names no
 * branch and no workflow: such a subject must come with an exact `ref` or `job_workflow_ref`.
 */
function unboundEnvironment(host: string, conditions: Conditions): string[] {
  if (host !== GITHUB) return [];
  const sub = conditions.get(`${GITHUB}:sub`)?.values ?? [];
  if (!sub.some((s) => s.includes(':environment:'))) return [];
  const bound = ['ref', 'job_workflow_ref'].some((claim) => {
    const condition = conditions.get(`${GITHUB}:${claim}`);
    return (
      condition?.operator === 'StringEquals' && !condition.values.some((v) => WILDCARD.test(v))
    );
  });
  return bound ? [] : ['an environment subject without an exact ref or job_workflow_ref'];
}

const DATA_SERVICES = ['s3', 'secretsmanager', 'dynamodb'];

/** The data actions a statement grants that can name a resource (S3, Secrets Manager, DynamoDB). */
const dataActions = (statement: Statement) =>
  statement.actions.filter(
    (action) =>
      !ACTIONS_WITHOUT_RESOURCE_TYPES.has(action) &&
      (action === '*' || DATA_SERVICES.includes(action.split(':')[0].toLowerCase())),
  );

/**
 * A resource ARN that names no particular bucket, secret or table: `*`, a wildcard in the
 * partition, region or account, or a wildcard where the name starts (`secret:*`, `table/*`,
 * `arn:aws:s3:::*`). A wildcard after a name (object keys, the secret's random suffix) is scoped,
 * and so is anything after a reference to a resource of the stack (`${aws_s3_bucket.b.arn}/*`).
 */
export function wildcardDataArn(arn: string): boolean {
  const bare = arn.replace(/\$\{[^}]*\}/g, 'ref');
  if (!bare.startsWith('arn:')) return WILDCARD.test(bare.charAt(0));
  const parts = bare.split(':');
  if ([parts[1], parts[3], parts[4]].some((part) => WILDCARD.test(part ?? ''))) return true;
  const name = parts
    .slice(5)
    .join(':')
    .replace(/^(secret:|table\/|stream\/)/, '');
  return name === '' || WILDCARD.test(name.charAt(0));
}

/** Service principals that send aws:SourceAccount / aws:SourceArn when they act for a resource. */
const SOURCE_CONTEXT_SERVICES = [
  /^ecs-tasks\.amazonaws\.com$/,
  /^ecs\.amazonaws\.com$/,
  /^vpc-flow-logs\.amazonaws\.com$/,
  /^monitoring\.rds\.amazonaws\.com$/,
  /^cloudwatch\.amazonaws\.com$/,
  /^events\.amazonaws\.com$/,
  /^sns\.amazonaws\.com$/,
  /^delivery\.logs\.amazonaws\.com$/,
  /^logdelivery\.elasticloadbalancing\.amazonaws\.com$/,
  /^logs\.[a-z0-9-]+\.amazonaws\.com$/,
];
/** Keys that tie a service's request to this account's resources. */
const SOURCE_KEYS = [
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  // CloudWatch Logs calls KMS with the log group's ARN as encryption context.
  'kms:encryptioncontext:aws:logs:arn',
];

const servicePrincipals = (principal: unknown) =>
  [(principal as { Service?: unknown } | undefined)?.Service ?? []].flat().map(String);

function missingSourceContext(statement: Statement): string[] {
  if (statement.effect !== 'Allow') return [];
  const keys = [...conditionValues(statement).keys()];
  if (SOURCE_KEYS.some((key) => keys.includes(key))) return [];
  return servicePrincipals(statement.principal).filter((service) =>
    SOURCE_CONTEXT_SERVICES.some((pattern) => pattern.test(service)),
  );
}

const label = (statement: Statement) => statement.sid ?? '(no Sid)';

export const iamScopeRules: PolicyRule[] = [
  {
    id: 'PRODE-OIDC-TRUST',
    aliases: [],
    title:
      'Web-identity trusts match aud and sub exactly; a GitHub environment subject also pins the branch or workflow',
    evaluate: (ctx) =>
      allowStatements(ctx, 'trust').flatMap(({ resource, statement }) =>
        oidcTrustProblems(ctx, statement).map((problem) =>
          finding('PRODE-OIDC-TRUST', resource, `${label(statement)}: ${problem}`),
        ),
      ),
  },
  {
    id: 'PRODE-DATA-ARNS',
    aliases: [],
    title: 'S3, Secrets Manager and DynamoDB actions name their buckets, secrets and tables',
    evaluate: (ctx) =>
      [...allowStatements(ctx, 'identity'), ...allowStatements(ctx, 'resource')].flatMap(
        ({ resource, statement }) => {
          const actions = dataActions(statement);
          const wild = actions.length ? statement.resources.filter(wildcardDataArn) : [];
          return wild.length
            ? [
                finding(
                  'PRODE-DATA-ARNS',
                  resource,
                  `${label(statement)}: ${actions.join(', ')} on ${wild.join(', ')}`,
                ),
              ]
            : [];
        },
      ),
  },
  {
    id: 'PRODE-CONFUSED-DEPUTY',
    aliases: [],
    title: 'Service principals are held to this account (aws:SourceAccount / aws:SourceArn)',
    evaluate: (ctx) =>
      policyDocuments(ctx).flatMap((document) =>
        document.statements.flatMap((statement) =>
          missingSourceContext(statement).map((service) =>
            finding(
              'PRODE-CONFUSED-DEPUTY',
              document.resource,
              `${label(statement)}: ${service} without aws:SourceAccount or aws:SourceArn`,
            ),
          ),
        ),
      ),
  },
];
