import { block, finding, type PolicyRule, resourceRule } from '../engine';
import { allowsAnyPrincipal, policyDocuments } from '../statements';

const REPO = ['aws_ecr_repository'];

export const ecrRules: PolicyRule[] = [
  resourceRule('CKV_AWS_163', ['AVD-AWS-0030', 'ECR.1'], 'Images are scanned on push', REPO, (r) =>
    block(r.values.image_scanning_configuration)?.scan_on_push === true
      ? undefined
      : 'scan_on_push is not true',
  ),
  resourceRule('CKV_AWS_51', ['AVD-AWS-0031', 'ECR.2'], 'Image tags are immutable', REPO, (r) =>
    String(r.values.image_tag_mutability ?? 'MUTABLE').startsWith('IMMUTABLE')
      ? undefined
      : 'tags are mutable',
  ),
  resourceRule('ECR.3', [], 'Repositories have a lifecycle policy', REPO, (r, ctx) =>
    ctx.referencing(r, 'aws_ecr_lifecycle_policy').length
      ? undefined
      : 'no aws_ecr_lifecycle_policy',
  ),
  resourceRule(
    'CKV_AWS_136',
    ['AVD-AWS-0033'],
    'Repositories are encrypted with a KMS key',
    REPO,
    (r) => {
      const encryption = block(r.values.encryption_configuration);
      return encryption?.encryption_type === 'KMS' && encryption.kms_key
        ? undefined
        : 'not encrypted with a customer-managed key';
    },
  ),
  {
    id: 'CKV_AWS_32',
    aliases: ['AVD-AWS-0032', 'AwsSolutions-ECR1'],
    title: 'Repository policies are not public',
    evaluate: (ctx) =>
      policyDocuments(ctx)
        .filter((d) => d.resource.type === 'aws_ecr_repository_policy')
        .flatMap((d) =>
          d.statements
            .filter(allowsAnyPrincipal)
            .map(() => finding('CKV_AWS_32', d.resource, 'repository policy allows any principal')),
        ),
  },
];
