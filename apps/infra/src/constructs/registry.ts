import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';

/** A repository made elsewhere (the account bootstrap), by name: no API call at plan time. */
export interface RepositoryReference {
  readonly arn: string;
  /** `<account>.dkr.ecr.<region>.<dns suffix>/<name>` */
  readonly url: string;
}

export function repositoryReference(
  aws: AwsEnvironment,
  dnsSuffix: string,
  name: string,
): RepositoryReference {
  return {
    arn: `arn:${aws.partition}:ecr:${aws.region}:${aws.accountId}:repository/${name}`,
    url: `${aws.accountId}.dkr.ecr.${aws.region}.${dnsSuffix}/${name}`,
  };
}

export interface RegistryProps {
  readonly repositoryName: string;
  /** CKV_AWS_136: encrypt images with this customer-managed key. */
  readonly kmsKeyArn: string;
  /** Untagged images (failed pushes, superseded layers) expire after this many days. @default 7 */
  readonly untaggedExpiryDays?: number;
  /** Tagged images kept, newest first: the rollback window. @default 30 */
  readonly keepTaggedImages?: number;
}

/**
 * The image repository: immutable tags (CKV_AWS_51, a git SHA always means one image), scan on
 * push (CKV_AWS_163), KMS encryption and a lifecycle policy (ECR.3). No repository policy: access
 * is granted by the roles' IAM policies only (CKV_AWS_32).
 */
export class Registry extends Construct {
  public readonly repository: EcrRepository;
  public readonly lifecyclePolicy: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 7;
    const keepTaggedImages = props.keepTaggedImages ?? 30;
    if (keepTaggedImages < 2) {
      throw new Error(
        `Registry: keepTaggedImages ${keepTaggedImages} leaves no image to roll back to; keep at least 2.`,
      );
    }
    if (untaggedExpiryDays < 1) {
      throw new Error('Registry: untaggedExpiryDays must be at least 1.');
    }
    this.repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
    });
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, 'lifecycle-policy', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedExpiryDays} days`,
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: untaggedExpiryDays,
            },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${keepTaggedImages} tagged images`,
            selection: {
              tagStatus: 'tagged',
              tagPatternList: ['*'],
              countType: 'imageCountMoreThan',
              countNumber: keepTaggedImages,
            },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }
}
