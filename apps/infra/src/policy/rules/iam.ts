import { ACTIONS_WITHOUT_RESOURCE_TYPES } from '../../deploy-permissions/action-table';
import { finding, type PolicyContext, type PolicyRule, type TfResource } from '../engine';
import {
  actionMatches,
  allowStatements,
  allResources,
  awsPrincipals,
  identityAllows,
  type Statement,
} from '../statements';

/** Actions IAM cannot scope to a resource ARN: `Resource: "*"` is their only form. */
const UNSCOPED = [
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
  'ssmmessages:*',
  'elasticloadbalancing:Describe*',
  'ecs:RegisterTaskDefinition',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:ListTasks',
  'ecs:ListClusters',
  'sts:GetCallerIdentity',
  'logs:DescribeLogGroups',
  // The deploy role's: what the Service Authorization Reference lists with no resource type.
  ...ACTIONS_WITHOUT_RESOURCE_TYPES,
];
const PRIVILEGE_ESCALATION = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreatePolicyVersion',
  'iam:PassRole',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateLoginProfile',
  'lambda:UpdateFunctionCode',
  'glue:UpdateDevEndpoint',
];
const DATA_EXFILTRATION = [
  's3:GetObject',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'secretsmanager:GetSecretValue',
  'rds:CopyDBSnapshot',
  'rds:CreateDBSnapshot',
];
const PERMISSIONS_MANAGEMENT = [
  'iam:Create*',
  'iam:Delete*',
  'iam:Put*',
  'iam:Attach*',
  'iam:Detach*',
  'iam:Update*',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  's3:PutBucketPolicy',
  'ecr:SetRepositoryPolicy',
  'secretsmanager:PutResourcePolicy',
];
const CREDENTIALS_EXPOSURE = [
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateAccessKey',
  'sts:AssumeRole',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
  'ecr:GetAuthorizationToken',
  'ec2:GetPasswordData',
  'rds-db:connect',
  'redshift:GetClusterCredentials',
];
const READ_VERBS =
  /^[a-z0-9-]+:(Get|List|Describe|BatchGet|BatchCheck|Head|Search|Query|Scan|Lookup|View)/i;

const covers = (statement: Statement, actions: readonly string[]) =>
  actions.filter((action) => statement.actions.some((pattern) => actionMatches(pattern, action)));
const unscoped = (action: string) => UNSCOPED.some((pattern) => actionMatches(pattern, action));

function allowRule(
  id: string,
  aliases: string[],
  title: string,
  problem: (s: Statement) => string | undefined,
): PolicyRule {
  return {
    id,
    aliases,
    title,
    evaluate: (ctx) =>
      identityAllows(ctx).flatMap(({ resource, statement }) => {
        const message = problem(statement);
        return message ? [finding(id, resource, `${statement.sid ?? '(no Sid)'}: ${message}`)] : [];
      }),
  };
}

/** Allow statements on `*` granting actions from a risk list. */
function wildcardRisk(id: string, title: string, actions: readonly string[]): PolicyRule {
  return allowRule(id, [], title, (s) => {
    const hits = allResources(s) ? covers(s, actions) : [];
    return hits.length ? `${hits.join(', ')} on all resources` : undefined;
  });
}

const trustStatements = (ctx: PolicyContext) => allowStatements(ctx, 'trust');

const MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;

function attachedPolicies(ctx: PolicyContext): { resource: TfResource; arn: string }[] {
  return [
    ...ctx
      .resources(
        'aws_iam_role_policy_attachment',
        'aws_iam_policy_attachment',
        'aws_iam_user_policy_attachment',
        'aws_iam_group_policy_attachment',
      )
      .map((r) => ({ resource: r, arn: String(r.values.policy_arn ?? '') })),
    ...ctx
      .resources('aws_iam_role', 'aws_iam_role_policy_attachments_exclusive')
      .flatMap((r) =>
        [r.values.managed_policy_arns ?? r.values.policy_arns ?? []]
          .flat()
          .map((arn: string) => ({ resource: r, arn })),
      ),
  ];
}

export const iamRules: PolicyRule[] = [
  allowRule('CKV_AWS_62', ['AVD-AWS-0057', 'IAM.1'], 'No "*:*" administrator statements', (s) =>
    s.actions.includes('*') && allResources(s) ? 'Action * on Resource *' : undefined,
  ),
  allowRule('CKV_AWS_63', ['IAM.21', 'AwsSolutions-IAM5'], 'No wildcard actions', (s) =>
    s.actions.includes('*') ? 'Action *' : s.notActions.length ? 'NotAction with Allow' : undefined,
  ),
  allowRule(
    'CKV_AWS_355',
    ['AVD-AWS-0057', 'AwsSolutions-IAM5'],
    'Resource "*" only for actions that cannot be scoped',
    (s) => {
      const scopable = allResources(s) ? s.actions.filter((a) => !unscoped(a)) : [];
      return scopable.length ? `${scopable.join(', ')} on Resource * (scope to ARNs)` : undefined;
    },
  ),
  wildcardRisk('CKV_AWS_286', 'No privilege escalation', PRIVILEGE_ESCALATION),
  wildcardRisk('CKV_AWS_288', 'No data exfiltration', DATA_EXFILTRATION),
  wildcardRisk('CKV_AWS_289', 'No unconstrained permissions management', PERMISSIONS_MANAGEMENT),
  wildcardRisk('CKV_AWS_287', 'No credentials exposure', CREDENTIALS_EXPOSURE),
  allowRule('CKV_AWS_290', [], 'No unconstrained write access', (s) => {
    if (!allResources(s) || Object.keys(s.condition).length) return undefined;
    const writes = s.actions.filter((a) => !READ_VERBS.test(a) && !unscoped(a));
    return writes.length ? `${writes.join(', ')} on Resource * without a condition` : undefined;
  }),
  {
    id: 'CKV_AWS_274',
    aliases: [],
    title: 'AdministratorAccess is not attached',
    evaluate: (ctx) =>
      attachedPolicies(ctx)
        .filter((p) => p.arn.endsWith(':policy/AdministratorAccess'))
        .map((p) => finding('CKV_AWS_274', p.resource, 'AdministratorAccess attached')),
  },
  allowRule('CKV2_AWS_40', [], 'No full IAM access', (s) =>
    allResources(s) && s.actions.some((a) => a === '*' || a.toLowerCase() === 'iam:*')
      ? 'iam:* on Resource *'
      : undefined,
  ),
  {
    id: 'CKV_AWS_60',
    aliases: [],
    title: 'Trust policies name specific principals',
    evaluate: (ctx) =>
      trustStatements(ctx)
        .filter(({ statement }) => awsPrincipals(statement.principal).includes('*'))
        .map(({ resource }) =>
          finding('CKV_AWS_60', resource, 'any AWS principal may assume the role'),
        ),
  },
  {
    id: 'CKV_AWS_61',
    aliases: [],
    title: 'Trust policies do not trust a whole account',
    evaluate: (ctx) =>
      trustStatements(ctx)
        .filter(({ statement }) =>
          awsPrincipals(statement.principal).some((p) => /:root$/.test(p) || /^\d{12}$/.test(p)),
        )
        .map(({ resource }) =>
          finding('CKV_AWS_61', resource, 'a whole account may assume the role'),
        ),
  },
  allowRule('AVD-AWS-0342', [], 'iam:PassRole names the roles it passes', (s) =>
    covers(s, ['iam:PassRole']).length && s.resources.some((r) => r.includes('*'))
      ? 'iam:PassRole on a wildcard'
      : undefined,
  ),
  {
    id: 'AwsSolutions-IAM4',
    aliases: [],
    title: 'No AWS-managed policies',
    evaluate: (ctx) =>
      attachedPolicies(ctx)
        .filter((p) => MANAGED_POLICY.test(p.arn))
        .map((p) =>
          finding(
            'AwsSolutions-IAM4',
            p.resource,
            `AWS-managed ${p.arn.split('/').pop()} attached`,
          ),
        ),
  },
  allowRule('KMS.2', ['KMS.1'], 'No kms:Decrypt on all keys', (s) =>
    allResources(s) && covers(s, ['kms:Decrypt', 'kms:ReEncryptFrom']).length
      ? 'KMS decryption on Resource *'
      : undefined,
  ),
  {
    id: 'CKV_AWS_393',
    aliases: [],
    title: 'GitHub OIDC roles pin the repository (sub) and audience (aud)',
    evaluate: (ctx) =>
      trustStatements(ctx)
        .filter(({ statement }) =>
          JSON.stringify(statement.principal ?? '').includes('token.actions.githubusercontent.com'),
        )
        .flatMap(({ resource, statement }) => {
          const conditions = Object.values(statement.condition).reduce<Record<string, unknown>>(
            (acc, c) => ({ ...acc, ...c }),
            {},
          );
          const subs = [conditions['token.actions.githubusercontent.com:sub'] ?? []]
            .flat()
            .map(String);
          const aud = conditions['token.actions.githubusercontent.com:aud'];
          const problems = [
            !subs.length && 'no sub condition',
            subs.some((s) => !/^repo:[^*/]+\/[^*]+:/.test(s)) && 'sub does not pin one repository',
            !aud && 'no aud condition',
          ].filter((p): p is string => typeof p === 'string');
          return problems.map((p) => finding('CKV_AWS_393', resource, p));
        }),
  },
];
