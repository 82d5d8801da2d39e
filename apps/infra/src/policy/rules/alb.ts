import {
  block,
  blocks,
  finding,
  isOneOf,
  listOf,
  type PolicyContext,
  type PolicyRule,
  resourceRule,
  type TfResource,
} from '../engine';

const LB = ['aws_lb', 'aws_alb'];
const LISTENER = ['aws_lb_listener', 'aws_alb_listener'];

/** TLS ≥ 1.2 policies (CKV_AWS_103 / ELB.17): never TLS13-1-0 / TLS13-1-1, which allow 1.0 / 1.1. */
const TLS12_POLICY =
  /^ELBSecurityPolicy-(TLS13-1-[23]-(Res-|Ext[12]-)?(FIPS-)?(PQ-)?20\d\d-\d\d|FS-1-2-(Res-)?20\d\d-\d\d|TLS-1-2-(Ext-)?20\d\d-\d\d)$/;
/** Policies whose TLS 1.2 suites are forward-secret AEAD only, or TLS 1.3 only (CKV2_AWS_74). */
const STRONG_CIPHER_POLICIES = new Set([
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
]);

const isApplication = (r: TfResource) =>
  (r.values.load_balancer_type ?? 'application') === 'application';
const isPublic = (r: TfResource) => r.values.internal !== true;

const redirectsToHttps = (listener: TfResource) =>
  blocks(listener.values.default_action).some(
    (a) => a.type === 'redirect' && block(a.redirect)?.protocol === 'HTTPS',
  );

/** Listeners that forward to a target group, by target group address. */
function listenersOf(ctx: PolicyContext, targetGroup: TfResource): TfResource[] {
  const direct = ctx.referencing(targetGroup, ...LISTENER);
  const viaRules = ctx
    .referencing(targetGroup, 'aws_lb_listener_rule')
    .flatMap((rule) => ctx.referenced(rule.values.listener_arn));
  return [...direct, ...viaRules];
}

const RULE = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];
const forwards = (actions: unknown) => blocks(actions).some((a) => a.type === 'forward');
/** Viewer protocol policies that never answer a request over plain HTTP. */
const HTTPS_VIEWER_POLICIES = ['redirect-to-https', 'https-only'];

/** A listener of an internal load balancer is reached from inside the VPC only (a CloudFront VPC origin, say). */
const onInternalLoadBalancer = (ctx: PolicyContext, listener: TfResource) =>
  ctx
    .referenced(listener.values.load_balancer_arn)
    .some((lb) => LB.includes(lb.type) && !isPublic(lb));

/**
 * Plain-HTTP listeners of internet-facing load balancers that pass requests on: by their default
 * action or by any rule attached to them (a redirecting default action with a forwarding path
 * rule still serves that path).
 */
function plainHttpForwarding(ctx: PolicyContext): { resource: TfResource; message: string }[] {
  const listeners = ctx
    .resources(...LISTENER)
    .filter((l) => l.values.protocol === 'HTTP' && !onInternalLoadBalancer(ctx, l));
  return listeners.flatMap((listener) => [
    ...(forwards(listener.values.default_action)
      ? [{ resource: listener, message: `port ${listener.values.port} forwards plain HTTP` }]
      : []),
    ...ctx
      .referencing(listener, ...RULE)
      .filter((rule) => forwards(rule.values.action))
      .map((rule) => ({
        resource: rule,
        message: `rule ${rule.values.priority ?? ''} forwards plain HTTP on port ${listener.values.port}`,
      })),
  ]);
}

/** CloudFront cache behaviors that answer viewers over plain HTTP (`allow-all`). */
function plainHttpViewers(ctx: PolicyContext): { resource: TfResource; message: string }[] {
  return ctx.resources('aws_cloudfront_distribution').flatMap((distribution) =>
    [
      ...blocks(distribution.values.default_cache_behavior),
      ...blocks(distribution.values.ordered_cache_behavior),
    ]
      .filter((behavior) => !isOneOf(behavior.viewer_protocol_policy, HTTPS_VIEWER_POLICIES))
      .map((behavior) => ({
        resource: distribution,
        message: `cache behavior ${behavior.path_pattern ?? '(default)'} serves viewers ${behavior.viewer_protocol_policy ?? 'over any protocol'}`,
      })),
  );
}

export const albRules: PolicyRule[] = [
  {
    id: 'PRODE-PROD-HTTPS',
    aliases: [],
    title:
      'prod serves no plain HTTP: no public HTTP listener or listener rule forwards, no CloudFront behavior allows HTTP',
    evaluate: (ctx) =>
      ctx.environment === 'prod'
        ? [...plainHttpForwarding(ctx), ...plainHttpViewers(ctx)].map(({ resource, message }) =>
            finding('PRODE-PROD-HTTPS', resource, message),
          )
        : [],
  },
  resourceRule(
    'CKV_AWS_2',
    ['AVD-AWS-0054', 'ELB.18'],
    'Listeners use HTTPS (HTTP only as a redirect to HTTPS)',
    LISTENER,
    (r) =>
      r.values.protocol === 'HTTP' && !redirectsToHttps(r)
        ? `listener on port ${r.values.port} serves plain HTTP`
        : undefined,
  ),
  {
    id: 'CKV2_AWS_20',
    aliases: ['ELB.1'],
    title: 'ALBs redirect HTTP to HTTPS',
    evaluate: (ctx) =>
      ctx
        .resources(...LB)
        .filter(isApplication)
        .flatMap((lb) =>
          ctx
            .referencing(lb, ...LISTENER)
            .filter((l) => l.values.protocol === 'HTTP' && !redirectsToHttps(l))
            .map((l) =>
              finding(
                'CKV2_AWS_20',
                l,
                `HTTP listener on port ${l.values.port} does not redirect to HTTPS`,
              ),
            ),
        ),
  },
  resourceRule(
    'CKV_AWS_103',
    ['AVD-AWS-0047', 'ELB.17'],
    'HTTPS listeners use a TLS 1.2+ policy',
    LISTENER,
    (r) =>
      r.values.protocol === 'HTTPS' && !TLS12_POLICY.test(String(r.values.ssl_policy ?? ''))
        ? `ssl_policy ${r.values.ssl_policy ?? '(default)'} allows TLS below 1.2`
        : undefined,
  ),
  resourceRule('CKV2_AWS_74', [], 'HTTPS listeners use strong ciphers', LISTENER, (r) =>
    r.values.protocol === 'HTTPS' && !STRONG_CIPHER_POLICIES.has(String(r.values.ssl_policy ?? ''))
      ? `ssl_policy ${r.values.ssl_policy ?? '(default)'} offers weak ciphers`
      : undefined,
  ),
  resourceRule(
    'CKV_AWS_131',
    ['AVD-AWS-0052', 'ELB.4'],
    'ALBs drop invalid HTTP headers',
    LB,
    (r) =>
      isApplication(r) && r.values.drop_invalid_header_fields !== true
        ? 'drop_invalid_header_fields is not true'
        : undefined,
  ),
  resourceRule(
    'CKV_AWS_91',
    ['ELB.5', 'AwsSolutions-ELB2'],
    'Load balancers write access logs',
    LB,
    (r) =>
      block(r.values.access_logs)?.enabled === true && block(r.values.access_logs)?.bucket
        ? undefined
        : 'access_logs are off',
  ),
  resourceRule('CKV_AWS_150', ['ELB.6'], 'Load balancers have deletion protection', LB, (r) =>
    r.values.enable_deletion_protection === true
      ? undefined
      : 'enable_deletion_protection is not true',
  ),
  resourceRule('CKV_AWS_328', ['ELB.12'], 'Desync mitigation is defensive or strictest', LB, (r) =>
    r.values.desync_mitigation_mode === 'monitor' ? 'desync_mitigation_mode is monitor' : undefined,
  ),
  resourceRule('ELB.13', [], 'Load balancers span at least two zones', LB, (r, ctx) => {
    const subnets: unknown[] = [
      ...listOf(r.values.subnets),
      ...blocks(r.values.subnet_mapping).map((m): unknown => m.subnet_id),
    ];
    // A subnet defined in this JSON counts by its zone; a literal subnet id counts on its own.
    const zones = new Set(
      subnets.map((subnet) => {
        const defined = ctx.referenced(subnet).find((s) => s.type === 'aws_subnet');
        return defined
          ? String(defined.values.availability_zone ?? defined.values.availability_zone_id)
          : String(subnet);
      }),
    );
    return zones.size < 2 ? `subnets span ${zones.size} zone(s)` : undefined;
  }),
  {
    id: 'CKV2_AWS_28',
    aliases: [],
    title: 'Public ALBs are protected by WAF',
    evaluate: (ctx) =>
      ctx
        .resources(...LB)
        .filter((lb) => isApplication(lb) && isPublic(lb))
        .filter((lb) => ctx.referencing(lb, 'aws_wafv2_web_acl_association').length === 0)
        .map((lb) => finding('CKV2_AWS_28', lb, 'no WAF web ACL association')),
  },
  resourceRule(
    'CKV2_AWS_76',
    [],
    'WAF web ACLs block Log4j exploits (the known bad inputs rule group, enforced)',
    ['aws_wafv2_web_acl'],
    (r) => {
      const group = blocks(r.values.rule).find(
        (rule) =>
          block(block(rule.statement)?.managed_rule_group_statement)?.name ===
          'AWSManagedRulesKnownBadInputsRuleSet',
      );
      if (!group) return 'AWSManagedRulesKnownBadInputsRuleSet missing';
      const statement = block(block(group.statement)?.managed_rule_group_statement);
      // Count mode, or the Log4JRCE rules excluded/overridden, lets the exploit through.
      if (block(group.override_action)?.count) return 'the known bad inputs group only counts';
      const weakened = [
        ...blocks(statement?.rule_action_override),
        ...blocks(statement?.excluded_rule),
      ].some((rule) => String(rule.name).startsWith('Log4JRCE'));
      return weakened ? 'the Log4JRCE rules are excluded or overridden' : undefined;
    },
  ),
  resourceRule('AVD-AWS-0053', [], 'Load balancers are internal', LB, (r) =>
    isPublic(r) ? 'load balancer is internet-facing' : undefined,
  ),
  resourceRule(
    'CKV_AWS_261',
    [],
    'Target groups define a health check',
    ['aws_lb_target_group', 'aws_alb_target_group'],
    (r) => {
      const check = block(r.values.health_check);
      return check && check.enabled !== false && (check.path || check.protocol === 'TCP')
        ? undefined
        : 'no health check';
    },
  ),
  {
    id: 'CKV_AWS_378',
    aliases: [],
    title: 'HTTP target groups sit behind an HTTPS listener',
    evaluate: (ctx) =>
      ctx
        .resources('aws_lb_target_group', 'aws_alb_target_group')
        .filter((tg) => tg.values.protocol === 'HTTP')
        .filter((tg) => !listenersOf(ctx, tg).some((l) => l.values.protocol === 'HTTPS'))
        .map((tg) =>
          finding('CKV_AWS_378', tg, 'HTTP target group without an HTTPS listener in front'),
        ),
  },
];
