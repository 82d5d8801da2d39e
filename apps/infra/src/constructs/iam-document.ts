import type { AwsEnvironment } from './aws-environment';

/** One IAM policy statement. `Sid` is required: every statement says what it is for. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | '*';
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
}

/**
 * An IAM policy document as the JSON string Terraform expects. Built here rather than with the
 * `aws_iam_policy_document` data source so the synthesized JSON carries the statements themselves,
 * which the policy rules (src/policy) and the tests can read.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * Trust policy letting one AWS service assume a role, limited to this account (confused deputy,
 * CKV_AWS_60/61) and, when given, to resources matching `sourceArn`.
 */
export function serviceTrustPolicy(
  service: string,
  aws: Pick<AwsEnvironment, 'accountId'>,
  sourceArn?: string,
): string {
  return policyDocument([
    {
      Sid: 'AssumeFromService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': aws.accountId },
        ...(sourceArn ? { ArnLike: { 'aws:SourceArn': sourceArn } } : {}),
      },
    },
  ]);
}

/**
 * `logs:DescribeLogGroups`, which services call to find a log group before writing to it. A list
 * call: IAM authorizes it on the account's `log-group:*`, not on one group's ARN, so a grant scoped
 * to the group is denied.
 */
export function findLogGroupsStatement(
  sid: string,
  aws: Pick<AwsEnvironment, 'accountId' | 'partition' | 'region'>,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 'logs:DescribeLogGroups',
    Resource: `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:*`,
  };
}
