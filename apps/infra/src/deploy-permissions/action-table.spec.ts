import { resourceNames } from '@prod-e/deployment';

import { actionMatches, type Statement, statementsOf } from '../policy/statements';
import { all, synthesize } from '../testing/synth';
import { validationVariants } from '../validate/variants';
import {
  ACTIONS_WITHOUT_RESOURCE_TYPES,
  DEPLOY_ACTION_TABLE,
  type GrantContext,
  serviceRoleNames,
} from './action-table';

/** Every resource type, data source and ephemeral resource a synthesized service stack holds. */
function typesOf(json: Record<string, Record<string, unknown> | undefined>): string[] {
  return [
    ...Object.keys(json.resource ?? {}),
    ...Object.keys(json.data ?? {}).map((type) => `data.${type}`),
    ...Object.keys(json.ephemeral ?? {}).map((type) => `ephemeral.${type}`),
  ];
}

const serviceVariants = validationVariants().filter((v) => v.name !== 'bootstrap');
const context: GrantContext = {
  partition: 'aws',
  region: 'us-west-2',
  accountId: '123456789012',
  names: resourceNames('prod'),
};

describe('GIVEN the deploy action table', () => {
  it.each(serviceVariants.map((v) => [v.name, v] as const))(
    'THEN every resource type of the %s service stack has an entry',
    (_, variant) => {
      const missing = typesOf(variant.synth() as never).filter(
        (type) => !(type in DEPLOY_ACTION_TABLE),
      );
      expect(missing).toEqual([]);
    },
  );

  it('THEN `*` is granted only for actions the Service Authorization Reference lists without a resource type', () => {
    const scopable = Object.entries(DEPLOY_ACTION_TABLE).flatMap(([type, grant]) =>
      (grant.unscoped ?? [])
        .filter((action) => !ACTIONS_WITHOUT_RESOURCE_TYPES.has(action))
        .map((action) => `${type}: ${action}`),
    );
    expect(scopable).toEqual([]);
  });

  /** ARNs AWS gives no account or region of ours: Route 53, CloudFront's web ACLs, AWS's lists. */
  const AWS_OWNED_OR_GLOBAL = [
    /^arn:aws:route53:::(hostedzone|change)\/\*$/,
    new RegExp(`^arn:aws:wafv2:us-east-1:${context.accountId}:global/`),
    new RegExp(`^arn:aws:ec2:${context.region}:aws:prefix-list/\\*$`),
  ];

  it('THEN every scoped grant names this account and region (IAM and dashboards: the account)', () => {
    const loose = Object.entries(DEPLOY_ACTION_TABLE).flatMap(([type, grant]) =>
      (grant.scoped?.resources(context) ?? [])
        .filter(
          (arn) =>
            !AWS_OWNED_OR_GLOBAL.some((pattern) => pattern.test(arn)) &&
            (arn === '*' ||
              !arn.includes(`:${context.accountId}:`) ||
              (!/^arn:aws:(iam|cloudwatch|cloudfront)::/.test(arn) &&
                !arn.includes(`:${context.region}:`))),
        )
        .map((arn) => `${type}: ${arn}`),
    );
    expect(loose).toEqual([]);
  });

  it('THEN every entry cites its Service Authorization Reference page', () => {
    for (const grant of Object.values(DEPLOY_ACTION_TABLE)) {
      expect(grant.reference).toMatch(/^list_[a-z0-9]+\.html$/);
    }
  });

  it.each(serviceVariants.map((v) => [v.name, v] as const))(
    'THEN the roles the deploy role may manage include every role the %s stack creates',
    (_, variant) => {
      const json = variant.synth();
      const environment = (
        json.provider as { aws: { default_tags: { tags: Record<string, string> }[] }[] }
      ).aws[0].default_tags[0].tags.Environment;
      const allowed = serviceRoleNames(resourceNames(environment));
      const created = all(json, 'aws_iam_role').map((role) => role.name as string);
      expect(created.filter((name) => !allowed.includes(name))).toEqual([]);
    },
  );
});

/** Whether an allow statement covers an action (wildcards in either). */
function allowedBy(statements: readonly Statement[], action: string): Statement | undefined {
  return statements.find(
    (s) => s.effect === 'Allow' && s.actions.some((pattern) => actionMatches(pattern, action)),
  );
}

describe('GIVEN the deploy role the bootstrap makes', () => {
  const { bootstrap } = synthesize();
  const json = bootstrap.toTerraform() as never;
  const statements = all(json, 'aws_iam_policy')
    .filter((p) => String(p.name).startsWith('prod-e-deploy-'))
    .flatMap((p) => statementsOf(p.policy));

  it('THEN it may call every action of the table, on the table’s resources', () => {
    const denied: string[] = [];
    for (const [type, grant] of Object.entries(DEPLOY_ACTION_TABLE)) {
      for (const action of [
        ...(grant.unscoped ?? []),
        ...(grant.scoped?.actions ?? []),
        ...(grant.requiresBoundary ?? []),
      ]) {
        if (!allowedBy(statements, action)) denied.push(`${type}: ${action}`);
      }
    }
    expect(denied).toEqual([]);
  });

  it('THEN what terraform apply must read is there: ec2, iam, rds, logs, kms, wafv2, cloudwatch, and task definition deregistration', () => {
    for (const action of [
      'ec2:DescribeVpcs',
      'iam:GetRole',
      'rds:DescribeDBInstances',
      'logs:DescribeLogGroups',
      'kms:DescribeKey',
      'wafv2:GetWebACL',
      'cloudwatch:DescribeAlarms',
      'ecs:DeregisterTaskDefinition',
      // prod-e migrate on the first apply, prod-e verify after it
      'tag:GetResources',
      'logs:FilterLogEvents',
      'elasticloadbalancing:DescribeTargetHealth',
    ]) {
      expect(allowedBy(statements, action)).toBeDefined();
    }
  });

  it('THEN no statement has an empty resource list, and only reference-listed actions run on `*`', () => {
    expect(statements.filter((s) => s.resources.length === 0)).toEqual([]);
    const onStar = statements
      .filter((s) => s.resources.includes('*'))
      .flatMap((s) => s.actions)
      .filter((a) => !ACTIONS_WITHOUT_RESOURCE_TYPES.has(a) && a !== 'ecr:GetAuthorizationToken');
    expect(onStar).toEqual([]);
  });

  it('THEN iam:PassRole names only the stack’s own roles, each to its one service', () => {
    const pass = statements.filter((s) => s.actions.includes('iam:PassRole'));
    const roles = pass.flatMap((s) => s.resources.map((r) => r.split(':role/')[1]));
    expect(roles.sort()).toEqual(serviceRoleNames(resourceNames('prod')).sort());
    expect(pass.every((s) => s.condition.StringEquals?.['iam:PassedToService'])).toBe(true);
  });

  it('THEN it creates roles and writes their policies only with the permissions boundary', () => {
    const create = allowedBy(statements, 'iam:CreateRole')!;
    const [boundaryId] = Object.entries(
      (json as { resource: Record<string, Record<string, { name: string }>> }).resource
        .aws_iam_policy,
    ).find(([, policy]) => policy.name === resourceNames('prod').permissionsBoundary)!;
    expect(create.condition).toEqual({
      StringEquals: { 'iam:PermissionsBoundary': `\${aws_iam_policy.${boundaryId}.arn}` },
    });
    expect(allowedBy(statements, 'iam:PutRolePolicy')).toBe(create);
    expect(allowedBy(statements, 'iam:DeleteRolePermissionsBoundary')).toBeUndefined();
    expect(allowedBy(statements, 'iam:CreatePolicy')).toBeUndefined();
  });

  it('THEN it lists the state bucket as the S3 backend does (env:/ and the stack prefix) and reaches only its state and lock', () => {
    const list = allowedBy(statements, 's3:ListBucket')!;
    expect(list.resources).toEqual([
      'arn:${data.aws_partition.partition.partition}:s3:::prod-e-terraform-state-123456789012-us-west-2',
    ]);
    expect(list.condition).toEqual({ StringLike: { 's3:prefix': ['prod-e/*', 'env:/*'] } });
    expect(allowedBy(statements, 's3:PutObject')!.resources).toEqual([
      'arn:${data.aws_partition.partition.partition}:s3:::prod-e-terraform-state-123456789012-us-west-2/prod-e/*',
    ]);
    expect(statements.some((s) => s.actions.some((a) => a.startsWith('dynamodb:')))).toBe(false);
  });
});
