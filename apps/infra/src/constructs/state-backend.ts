import type { ResourceNames } from '@prod-e/config';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

import { policyDocument } from './iam-document';

/** Where local state files live, relative to a stack's directory in cdktf.out (gitignored). */
export const LOCAL_STATE_DIR = '../../../terraform-state';

/**
 * The state bucket's name. S3 names are global, so with an account id the name carries it
 * (`prod-e-terraform-state-123456789012`); without one it is the plain name from resourceNames.
 */
export function stateBucketName(names: ResourceNames, accountId?: string): string {
  return accountId ? `${names.stateBucket}-${accountId}` : names.stateBucket;
}

/** Object key prefix of one stack's state. */
export function stateKeyPrefix(names: ResourceNames): string {
  return names.stack;
}

export interface BackendOptions {
  readonly kind: 's3' | 'local';
  readonly names: ResourceNames;
  readonly region: string;
  /** Suffixes the state bucket name (S3 names are global). @default none */
  readonly accountId?: string;
}

/**
 * Points a stack at its state: the S3 bucket with the DynamoDB lock table made by the bootstrap
 * stack, or a local file (trying things out, and the bootstrap stack itself, which cannot keep its
 * state in the bucket it creates).
 *
 * Locking decision: cdktf 0.21's typed `S3BackendConfig` has `dynamodbTable` but not Terraform
 * 1.10's `use_lockfile`, so the DynamoDB table is the supported, typed path and works with every
 * Terraform ≥ 1.5.
 */
export function configureBackend(stack: TerraformStack, options: BackendOptions): void {
  if (options.kind === 'local') {
    new LocalBackend(stack, { path: `${LOCAL_STATE_DIR}/${stack.node.id}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: stateBucketName(options.names, options.accountId),
    key: `${stateKeyPrefix(options.names)}/terraform.tfstate`,
    region: options.region,
    encrypt: true,
    dynamodbTable: options.names.stateLockTable,
  });
}

export interface StateStorageProps {
  readonly bucketName: string;
  readonly lockTableName: string;
}

/**
 * The remote state's home: a versioned (every state is recoverable), encrypted, private bucket
 * that refuses plain HTTP, and the lock table. Both refuse deletion while they hold state.
 */
export class StateStorage extends Construct {
  public readonly bucket: S3Bucket;
  public readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateStorageProps) {
    super(scope, id);
    if (props.bucketName.length > 63) {
      throw new Error(
        `StateStorage: bucket name ${props.bucketName} exceeds S3's 63 characters; shorten the stack name.`,
      );
    }
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: 'DenyPlainHttp',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
      dependsOn: [publicAccessBlock],
    });
    this.lockTable = new DynamodbTable(this, 'lock-table', {
      name: props.lockTableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
