import { block, finding, type PolicyRule, resourceRule } from '../engine';
import { allowsAnyPrincipal, policyDocuments } from '../statements';

const LOGS = ['aws_cloudwatch_log_group'];

export const logsRules: PolicyRule[] = [
  resourceRule('CKV_AWS_66', [], 'Log groups have a retention', LOGS, (r) =>
    Number(r.values.retention_in_days ?? 0) > 0 ? undefined : 'logs are kept forever',
  ),
  resourceRule('CKV_AWS_338', [], 'Log groups keep a year', LOGS, (r) =>
    Number(r.values.retention_in_days ?? 0) >= 365
      ? undefined
      : `retention ${r.values.retention_in_days ?? 'unset'} < 365 days`,
  ),
  resourceRule('CKV_AWS_158', ['AVD-AWS-0017'], 'Log groups are KMS-encrypted', LOGS, (r) =>
    r.values.kms_key_id ? undefined : 'no kms_key_id',
  ),
  resourceRule(
    'CKV_AWS_149',
    [],
    'Secrets use a customer-managed key',
    ['aws_secretsmanager_secret'],
    (r) => (r.values.kms_key_id ? undefined : 'encrypted with the AWS-managed key'),
  ),
  resourceRule(
    'CKV2_AWS_57',
    ['CKV_AWS_304', 'SecretsManager.1', 'SecretsManager.4', 'AwsSolutions-SMG4'],
    'Secrets rotate (≤ 90 days)',
    ['aws_secretsmanager_secret'],
    (r, ctx) => {
      const rotation = ctx.referencing(r, 'aws_secretsmanager_secret_rotation')[0];
      if (!rotation) return 'no rotation';
      const days = Number(block(rotation.values.rotation_rules)?.automatically_after_days ?? 0);
      return days > 90 ? `rotates every ${days} days` : undefined;
    },
  ),
  resourceRule(
    'CKV2_AWS_34',
    ['CKV_AWS_337'],
    'SSM parameters are SecureString with a CMK',
    ['aws_ssm_parameter'],
    (r) =>
      r.values.type !== 'SecureString'
        ? `type ${r.values.type}`
        : r.values.key_id
          ? undefined
          : 'SecureString with the default key',
  ),
  resourceRule('CKV_AWS_7', ['AwsSolutions-KMS5'], 'KMS keys rotate', ['aws_kms_key'], (r) =>
    r.values.enable_key_rotation === true ? undefined : 'enable_key_rotation is not true',
  ),
  resourceRule('CKV2_AWS_64', [], 'KMS keys have an explicit policy', ['aws_kms_key'], (r, ctx) =>
    r.values.policy || ctx.referencing(r, 'aws_kms_key_policy').length
      ? undefined
      : 'default key policy',
  ),
  {
    id: 'CKV_AWS_33',
    aliases: [],
    title: 'Key policies have no "*" principal',
    evaluate: (ctx) =>
      policyDocuments(ctx)
        .filter((d) => d.kind === 'key')
        .flatMap((d) =>
          d.statements
            .filter(allowsAnyPrincipal)
            .map((s) =>
              finding('CKV_AWS_33', d.resource, `${s.sid ?? '(no Sid)'} allows any principal`),
            ),
        ),
  },
];
