import {
  accountResourceNames,
  MINIMUM_TERRAFORM_VERSION,
  type ResourceNames,
} from '@prod-e/deployment';
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

/** Object key prefix of one stack's state. */
export function stateKeyPrefix(names: ResourceNames): string {
  return names.stack;
}

export interface BackendOptions {
  readonly kind: 's3' | 'local';
  readonly names: ResourceNames;
  readonly region: string;
  /** The account whose bootstrap made the state bucket; required for `s3`. */
  readonly accountId?: string;
}

/**
 * Points a stack at its state: the account's state bucket made by the bootstrap stack, locked by
 * S3 itself (`use_lockfile`, Terraform ≥ 1.10: a `<key>.tflock` object written with a conditional
 * put, so no DynamoDB table), or a local file (trying things out, and the bootstrap stack itself,
 * which cannot keep its state in the bucket it creates).
 */
export function configureBackend(stack: TerraformStack, options: BackendOptions): void {
  if (options.kind === 'local') {
    new LocalBackend(stack, { path: `${LOCAL_STATE_DIR}/${stack.node.id}.tfstate` });
    return;
  }
  if (!options.accountId) {
    throw new Error(
      `configureBackend: the s3 backend of ${stack.node.id} needs the settings' accountId (the state bucket's name carries it).`,
    );
  }
  const backend = new S3Backend(stack, {
    bucket: accountResourceNames(options.accountId, options.region).stateBucket,
    key: `${stateKeyPrefix(options.names)}/terraform.tfstate`,
    region: options.region,
    encrypt: true,
  });
  // cdktf 0.21's typed S3BackendConfig predates `use_lockfile`; the override writes it as is.
  backend.addOverride('use_lockfile', true);
}

/** Every stack accepts only Terraform versions with write-only arguments and S3-native locking. */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', `>= ${MINIMUM_TERRAFORM_VERSION}`);
}

export interface StateStorageProps {
  readonly bucketName: string;
}

/**
 * The remote state's home: a versioned (every state is recoverable), encrypted, private bucket
 * that refuses plain HTTP and refuses deletion while it holds state. Locks are objects in it.
 */
export class StateStorage extends Construct {
  public readonly bucket: S3Bucket;

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
  }
}
