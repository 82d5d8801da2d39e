/** Where the stack deploys: resolved at plan time from the caller's credentials, except the region. */
export interface AwsEnvironment {
  /** Account id (a token: `data.aws_caller_identity`). */
  readonly accountId: string;
  /** Partition (a token: `data.aws_partition`), for ARNs that work outside `aws` too. */
  readonly partition: string;
  readonly region: string;
}
