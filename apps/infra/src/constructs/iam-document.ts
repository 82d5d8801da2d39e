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

/** Trust policy letting one AWS service assume a role, limited to this account (confused deputy). */
export function serviceTrustPolicy(service: string, accountId: string): string {
  return policyDocument([
    {
      Sid: 'AssumeFromService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
}
