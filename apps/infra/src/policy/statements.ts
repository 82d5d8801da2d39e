import { block, listOf, parseJson, type PolicyContext, type TfResource } from './engine';

/** One policy statement with its lists normalized. */
export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly principal: unknown;
  readonly condition: Record<string, Record<string, unknown>>;
}

export type DocumentKind = 'identity' | 'trust' | 'key' | 'resource';

export interface PolicyDocumentRef {
  readonly resource: TfResource;
  readonly kind: DocumentKind;
  readonly statements: Statement[];
}

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

export function statementsOf(document: unknown): Statement[] {
  const parsed = parseJson(document) as { Statement?: unknown } | undefined;
  const raw = parsed?.Statement;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).map((s: Record<string, unknown>) => ({
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: typeof s.Effect === 'string' ? s.Effect : '',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    principal: s.Principal,
    condition: (s.Condition as Record<string, Record<string, unknown>>) ?? {},
  }));
}

/** Every policy document in the JSON, by what kind of policy it is. */
export function policyDocuments(ctx: PolicyContext): PolicyDocumentRef[] {
  const docs: PolicyDocumentRef[] = [];
  const add = (resource: TfResource, kind: DocumentKind, document: unknown) =>
    docs.push({ resource, kind, statements: statementsOf(document) });
  for (const r of ctx.resources(
    'aws_iam_role_policy',
    'aws_iam_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
  )) {
    add(r, 'identity', r.values.policy);
  }
  for (const r of ctx.resources('aws_iam_role')) {
    add(r, 'trust', r.values.assume_role_policy);
    for (const inline of listOf(r.values.inline_policy)) add(r, 'identity', block(inline)?.policy);
  }
  for (const r of ctx.resources('aws_kms_key')) if (r.values.policy) add(r, 'key', r.values.policy);
  for (const r of ctx.resources(
    'aws_ecr_repository_policy',
    'aws_s3_bucket_policy',
    'aws_secretsmanager_secret_policy',
    'aws_sns_topic_policy',
    'aws_sqs_queue_policy',
  )) {
    add(r, 'resource', r.values.policy);
  }
  for (const r of ctx.resources('aws_sns_topic', 'aws_sqs_queue'))
    if (r.values.policy) add(r, 'resource', r.values.policy);
  for (const r of ctx.resources('aws_cloudwatch_log_resource_policy'))
    add(r, 'resource', r.values.policy_document);
  return docs;
}

/** Allow statements of one kind of policy, each with the resource that carries it. */
export function allowStatements(
  ctx: PolicyContext,
  kind: DocumentKind,
): { resource: TfResource; statement: Statement }[] {
  return policyDocuments(ctx)
    .filter((d) => d.kind === kind)
    .flatMap((d) =>
      d.statements
        .filter((s) => s.effect === 'Allow')
        .map((statement) => ({ resource: d.resource, statement })),
    );
}

/** Allow statements of identity policies (what a principal may do). */
export const identityAllows = (ctx: PolicyContext) => allowStatements(ctx, 'identity');

/** The AWS principals a statement names (`"*"` alone counts as `*`). */
export function awsPrincipals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  const aws = (principal as { AWS?: string | string[] } | undefined)?.AWS;
  return aws === undefined ? [] : [aws].flat().map(String);
}

/** Does the statement grant to anyone at all (`"*"` or `{"AWS": "*"}`, alone or in a list)? */
export const allowsAnyPrincipal = (s: Statement) =>
  s.effect === 'Allow' && awsPrincipals(s.principal).includes('*');

/** Does an action pattern (possibly with `*`) cover a concrete action? */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(action);
}

export const allResources = (s: Statement) => s.resources.includes('*');
