import { blocks, isOneOf, type PolicyContext } from './engine';

/** A rule that may not hold for one resource, and why. Matched by construct path. */
export interface Suppression {
  readonly ruleId: string;
  /** Construct path inside the stack (environment-independent). */
  readonly path: RegExp;
  readonly reason: string;
  /** A cost trade-off that is a setting per environment (on in prod): suppressed outside prod only. */
  readonly nonProdOnly?: boolean;
  /** The suppression applies only while this holds (the design that makes the finding moot). */
  readonly while?: {
    readonly description: string;
    readonly holds: (ctx: PolicyContext) => boolean;
  };
  /** The suppression lapses once this holds (the fix is a setting away). */
  readonly until?: {
    readonly description: string;
    readonly holds: (ctx: PolicyContext) => boolean;
  };
}

const httpsListenerExists = {
  description: 'an HTTPS listener exists (tls mode domain or certificate)',
  holds: (ctx: PolicyContext) =>
    ctx.resources('aws_lb_listener').some((l) => l.values.protocol === 'HTTPS'),
};

/**
 * TLS mode `cloudfront`: every load balancer is internal, a CloudFront VPC origin is the only way
 * in, and every distribution behaviour answers viewers over HTTPS only (PRODE-PROD-HTTPS checks
 * the last part on its own).
 */
const behindCloudFrontVpcOrigin = {
  description: 'the ALB is internal, reached only through a CloudFront VPC origin serving HTTPS',
  holds: (ctx: PolicyContext) => {
    const loadBalancers = ctx.resources('aws_lb', 'aws_alb');
    const distributions = ctx.resources('aws_cloudfront_distribution');
    const behaviours = distributions.flatMap((d) => [
      ...blocks(d.values.default_cache_behavior),
      ...blocks(d.values.ordered_cache_behavior),
    ]);
    return (
      loadBalancers.length > 0 &&
      loadBalancers.every((lb) => lb.values.internal === true) &&
      ctx.resources('aws_cloudfront_vpc_origin').length > 0 &&
      behaviours.length > 0 &&
      behaviours.every((b) =>
        isOneOf(b.viewer_protocol_policy, ['https-only', 'redirect-to-https']),
      )
    );
  },
};

const BEHIND_CLOUDFRONT =
  'TLS mode cloudfront: viewers get HTTPS at the distribution; the ALB is internal and admits port 80 only from CloudFront’s origin-facing addresses, so this hop stays inside AWS and the VPC. A VPC origin can speak HTTPS to the ALB only with a certificate for a domain, which this mode exists to do without (choose tls mode domain or certificate for TLS on that hop too).';

const NO_CERTIFICATE =
  'Outside prod, an environment may serve the API on port 80 (tls mode http) until its committed settings choose tls mode domain or certificate, which adds the TLS 1.3 listener and turns 80 into a redirect (this suppression then lapses). Prod must serve HTTPS.';

const COST = 'Cost trade-off kept per environment: on in prod, off by default elsewhere.';

/** Every suppression in the project, each with its reason (docs/policy-checks.md lists them). */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    ruleId: 'AVD-AWS-0053',
    path: /^load-balancer\/alb$/,
    reason: 'By design: the ALB is the public entry point; tasks and database stay private.',
  },
  {
    ruleId: 'CKV_AWS_260',
    path: /^security-groups\/alb-in-80-\d+$/,
    reason:
      'By design: the public ALB listens on 80 (forward, or redirect to 443 with a certificate); FSBP EC2.18 authorizes 80/443.',
  },
  {
    ruleId: 'CKV_AWS_382',
    path: /^security-groups\/service-out-https$/,
    reason:
      'By design: tasks reach ECR, Secrets Manager and CloudWatch Logs over HTTPS through NAT; egress is TCP 443 only (plus the database group on its port).',
  },
  {
    ruleId: 'CKV_AWS_2',
    path: /^load-balancer\/http-listener$/,
    reason: NO_CERTIFICATE,
    until: httpsListenerExists,
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV2_AWS_20',
    path: /^load-balancer\/http-listener$/,
    reason: NO_CERTIFICATE,
    until: httpsListenerExists,
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV_AWS_378',
    path: /^load-balancer\/(alternate-)?target-group$/,
    reason: `${NO_CERTIFICATE} TLS ends at the ALB; the hop to the task stays inside the VPC.`,
    until: httpsListenerExists,
    nonProdOnly: true,
  },
  ...(['CKV_AWS_2', 'CKV2_AWS_20'] as const).map((ruleId) => ({
    ruleId,
    path: /^load-balancer\/http-listener$/,
    reason: BEHIND_CLOUDFRONT,
    while: behindCloudFrontVpcOrigin,
  })),
  {
    ruleId: 'CKV_AWS_378',
    path: /^load-balancer\/(alternate-)?target-group$/,
    reason: `${BEHIND_CLOUDFRONT} TLS ends at CloudFront; the hops to the ALB and the task stay inside AWS.`,
    while: behindCloudFrontVpcOrigin,
  },
  {
    ruleId: 'CKV_AWS_91',
    path: /^load-balancer\/alb$/,
    reason:
      'Access logs need an S3 bucket with the ELB log-delivery policy, which brings its own S3 checks; set accessLogsBucket in the environment’s committed settings to an existing one and they turn on.',
  },
  {
    ruleId: 'RDS.23',
    path: /^database\/instance$/,
    reason:
      'A non-default port is obscurity, not control: only the task security group reaches the database. The databasePort setting changes it.',
  },
  {
    ruleId: 'EC2.10',
    path: /^network\/vpc$/,
    reason:
      'Tasks reach ECR and SSM through the NAT gateway; three interface endpoints in two zones cost more than the NAT for this service. Revisit when NAT data charges grow.',
  },
  {
    ruleId: 'CKV_AWS_287',
    path: /^(iam\/(migration-)?execution-policy|[a-z0-9]+-deploy-role\/policy-\d+|[a-z0-9]+-boundary\/policy)$/,
    reason:
      'ecr:GetAuthorizationToken takes no resource ARN; the token it returns only works together with the ECR permissions, which are scoped to the one repository.',
  },
  {
    ruleId: 'CKV2_AWS_57',
    path: /^api-token-secret\/secret$/,
    reason:
      'API tokens rotate by hand with overlap (add the new token to the comma list, deploy clients, remove the old one); a rotation Lambda cannot coordinate clients. The database password is rotated by RDS itself.',
  },
  {
    ruleId: 'CKV_AWS_338',
    path: /./,
    reason: `${COST} (365-day log retention)`,
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV_AWS_157',
    path: /^database\/instance$/,
    reason: `${COST} (Multi-AZ database)`,
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV2_AWS_28',
    path: /^load-balancer\/alb$/,
    reason: `${COST} (WAF)`,
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV_AWS_150',
    path: /^load-balancer\/alb$/,
    reason: 'Throwaway environments must be destroyable; deletion protection is on in prod.',
    nonProdOnly: true,
  },
  {
    ruleId: 'CKV_AWS_293',
    path: /^database\/instance$/,
    reason:
      'Throwaway environments must be destroyable; deletion protection (and the final snapshot) are on in prod.',
    nonProdOnly: true,
  },
];
