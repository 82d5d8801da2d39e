import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import { policyDocument } from './iam-document';

export interface EncryptionProps {
  readonly aws: AwsEnvironment;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /**
   * Days KMS waits before deleting the key once scheduled: a mistaken destroy stays reversible.
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * The stack's customer-managed key (CKV_AWS_7 rotation, CKV2_AWS_64 explicit policy, CKV_AWS_33 no
 * `*` principal). One key encrypts the log groups, ECR, the secrets, RDS storage and Performance
 * Insights, the SNS topic and ECS Exec sessions, so the execution role's kms:Decrypt names one ARN.
 */
export class Encryption extends Construct {
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new Error(
        `Encryption: deletionWindowDays ${deletionWindowDays} is outside KMS's 7-30 day range; pick a value in it.`,
      );
    }
    const { accountId, partition, region } = props.aws;
    this.key = new KmsKey(this, 'key', {
      description: `${props.alias}: logs, images, secrets, database, alarms`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: policyDocument([
        {
          // Delegates to IAM: principals still need an IAM policy naming this key.
          Sid: 'AccountAdministersKeyThroughIam',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: [
            'kms:Encrypt*',
            'kms:Decrypt*',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:Describe*',
          ],
          Resource: '*',
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
            },
          },
        },
        {
          // Alarms publish to the encrypted SNS topic.
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]),
    });
    this.alias = new KmsAlias(this, 'alias', {
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
    });
  }
}
