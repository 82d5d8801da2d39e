import {
  blocks,
  finding,
  isOneOf,
  type PolicyContext,
  type PolicyRule,
  resourceRule,
  scalarText,
  type TfResource,
} from '../engine';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

interface NormalizedRule {
  readonly resource: TfResource;
  readonly direction: 'ingress' | 'egress';
  readonly from: number;
  readonly to: number;
  readonly allProtocols: boolean;
  readonly cidrs: string[];
  readonly description?: string;
}

/** Every security group rule, whichever of the three resource shapes wrote it. */
function sgRules(ctx: PolicyContext): NormalizedRule[] {
  const rules: NormalizedRule[] = [];
  const push = (
    resource: TfResource,
    direction: 'ingress' | 'egress',
    r: Record<string, unknown>,
  ) => {
    const protocol = scalarText(r.ip_protocol ?? r.protocol ?? 'tcp');
    const allProtocols = protocol === '-1' || protocol === 'all';
    rules.push({
      resource,
      direction,
      from: allProtocols ? 0 : Number(r.from_port ?? 0),
      to: allProtocols ? 65535 : Number(r.to_port ?? 65535),
      allProtocols,
      cidrs: [
        r.cidr_ipv4,
        r.cidr_ipv6,
        ...((r.cidr_blocks as string[]) ?? []),
        ...((r.ipv6_cidr_blocks as string[]) ?? []),
      ].filter((c): c is string => typeof c === 'string'),
      description: r.description as string | undefined,
    });
  };
  for (const r of ctx.resources('aws_vpc_security_group_ingress_rule'))
    push(r, 'ingress', r.values);
  for (const r of ctx.resources('aws_vpc_security_group_egress_rule')) push(r, 'egress', r.values);
  for (const r of ctx.resources('aws_security_group_rule'))
    push(r, r.values.type === 'egress' ? 'egress' : 'ingress', r.values);
  for (const r of ctx.resources('aws_security_group', 'aws_default_security_group')) {
    for (const b of blocks(r.values.ingress)) push(r, 'ingress', b);
    for (const b of blocks(r.values.egress)) push(r, 'egress', b);
  }
  return rules;
}

const publicIngress = (ctx: PolicyContext) =>
  sgRules(ctx).filter(
    (r) => r.direction === 'ingress' && r.cidrs.some((c) => ANYWHERE.includes(c)),
  );

function openPortRule(id: string, aliases: string[], title: string, port: number): PolicyRule {
  return {
    id,
    aliases,
    title,
    evaluate: (ctx) =>
      publicIngress(ctx)
        .filter((r) => r.from <= port && port <= r.to)
        .map((r) => finding(id, r.resource, `port ${port} open to the internet`)),
  };
}

/** Resource types whose attachment of a security group counts as "in use". */
const SG_USERS = [
  'aws_lb',
  'aws_ecs_service',
  'aws_db_instance',
  'aws_instance',
  'aws_vpc_endpoint',
  'aws_network_interface',
  'aws_lambda_function',
];

export const vpcRules: PolicyRule[] = [
  resourceRule(
    'CKV2_AWS_11',
    ['AVD-AWS-0178', 'EC2.6', 'AwsSolutions-VPC7'],
    'VPCs have flow logs',
    ['aws_vpc'],
    (r, ctx) =>
      ctx.referencing(r, 'aws_flow_log').length ? undefined : 'no aws_flow_log for this VPC',
  ),
  resourceRule(
    'CKV2_AWS_12',
    ['AVD-AWS-0173', 'EC2.2'],
    'The default security group allows nothing',
    ['aws_vpc'],
    (r, ctx) => {
      const adopted = ctx.referencing(r, 'aws_default_security_group');
      if (!adopted.length) return 'default security group not adopted (it keeps its allow rules)';
      return adopted.some((g) => blocks(g.values.ingress).length || blocks(g.values.egress).length)
        ? 'default security group has rules'
        : undefined;
    },
  ),
  resourceRule(
    'CKV_AWS_130',
    ['AVD-AWS-0164', 'EC2.15'],
    'Subnets do not assign public IPs',
    ['aws_subnet'],
    (r) =>
      r.values.map_public_ip_on_launch === true ? 'map_public_ip_on_launch is true' : undefined,
  ),
  {
    id: 'CKV_AWS_23',
    aliases: ['AVD-AWS-0099', 'AVD-AWS-0124', 'AwsSolutions-EC27'],
    title: 'Security groups and their rules have descriptions',
    evaluate: (ctx) => [
      ...ctx
        .resources('aws_security_group')
        .filter(
          (g) =>
            !String(g.values.description ?? '').trim() ||
            g.values.description === 'Managed by Terraform',
        )
        .map((g) => finding('CKV_AWS_23', g, 'security group without a description')),
      ...sgRules(ctx)
        .filter((r) => !String(r.description ?? '').trim())
        .map((r) => finding('CKV_AWS_23', r.resource, `${r.direction} rule without a description`)),
    ],
  },
  openPortRule('CKV_AWS_24', ['AVD-AWS-0107', 'EC2.19'], 'No SSH (22) from the internet', 22),
  openPortRule('CKV_AWS_25', ['AVD-AWS-0107', 'EC2.19'], 'No RDP (3389) from the internet', 3389),
  openPortRule('CKV_AWS_260', ['AwsSolutions-EC23'], 'No HTTP (80) from the internet', 80),
  {
    id: 'CKV_AWS_277',
    aliases: ['EC2.18'],
    title: 'No all-ports ingress from the internet',
    evaluate: (ctx) =>
      publicIngress(ctx)
        .filter((r) => r.allProtocols || (r.from === 0 && r.to === 65535))
        .map((r) => finding('CKV_AWS_277', r.resource, 'all ports open to the internet')),
  },
  {
    id: 'CKV_AWS_382',
    aliases: ['AVD-AWS-0104'],
    title: 'No unrestricted egress',
    evaluate: (ctx) =>
      sgRules(ctx)
        .filter((r) => r.direction === 'egress' && r.cidrs.some((c) => ANYWHERE.includes(c)))
        .map((r) =>
          finding(
            'CKV_AWS_382',
            r.resource,
            r.allProtocols
              ? 'all traffic to the internet'
              : `ports ${r.from}-${r.to} to the internet`,
          ),
        ),
  },
  resourceRule(
    'CKV2_AWS_5',
    [],
    'Security groups are attached to something',
    ['aws_security_group'],
    (r, ctx) =>
      ctx.referencing(r, ...SG_USERS).length ? undefined : 'security group is not attached',
  ),
  resourceRule(
    'CKV2_AWS_35',
    [],
    'Default routes go through a NAT or internet gateway, not an instance',
    ['aws_route', 'aws_route_table'],
    (r) => {
      const routes = r.type === 'aws_route' ? [r.values] : blocks(r.values.route);
      return routes.map((route) =>
        [route.destination_cidr_block, route.cidr_block].some((c) => isOneOf(c, ANYWHERE)) &&
        !route.nat_gateway_id &&
        !route.gateway_id
          ? 'default route through neither a NAT nor an internet gateway'
          : undefined,
      );
    },
  ),
  {
    id: 'AVD-AWS-0101',
    aliases: [],
    title: 'The default VPC is not used',
    evaluate: (ctx) =>
      ctx
        .resources('aws_default_vpc')
        .map((r) => finding('AVD-AWS-0101', r, 'aws_default_vpc is managed here')),
  },
  resourceRule(
    'CKV_AWS_352',
    [
      'CKV_AWS_229',
      'CKV_AWS_230',
      'CKV_AWS_231',
      'CKV_AWS_232',
      'AVD-AWS-0102',
      'AVD-AWS-0105',
      'EC2.21',
    ],
    'Network ACLs do not open all ports or 20/21/22/3389 to the internet',
    ['aws_network_acl_rule'],
    (r) => {
      const v = r.values;
      if (
        v.egress === true ||
        v.rule_action !== 'allow' ||
        !isOneOf(v.cidr_block ?? v.ipv6_cidr_block, ANYWHERE)
      )
        return undefined;
      const all = String(v.protocol) === '-1' || String(v.protocol) === 'all';
      const from = Number(v.from_port ?? 0);
      const to = Number(v.to_port ?? 65535);
      const admin = [20, 21, 22, 3389].filter((p) => all || (from <= p && p <= to));
      return all || (from === 0 && to === 65535) || admin.length
        ? `network ACL allows ${all ? 'all ports' : admin.join(', ')} from the internet`
        : undefined;
    },
  ),
  resourceRule(
    'EC2.10',
    ['EC2.55', 'EC2.56', 'EC2.57'],
    'VPCs running ECS tasks have interface endpoints for ECR and SSM',
    ['aws_vpc'],
    (r, ctx) => {
      if (!ctx.resources('aws_ecs_service').length) return undefined;
      const services = ctx.referencing(r, 'aws_vpc_endpoint').map((e) =>
        String(e.values.service_name ?? '')
          .split('.')
          .slice(3)
          .join('.'),
      );
      const missing = ['ecr.api', 'ecr.dkr', 'ssmmessages'].filter((s) => !services.includes(s));
      return missing.length ? `no interface endpoint for ${missing.join(', ')}` : undefined;
    },
  ),
];
