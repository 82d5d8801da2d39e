import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

export interface SecurityGroupsProps {
  readonly vpcId: string;
  readonly albSecurityGroupName: string;
  readonly serviceSecurityGroupName: string;
  readonly databaseSecurityGroupName: string;
  /** Who may reach the ALB. @default ['0.0.0.0/0'] */
  readonly albIngressCidrs?: readonly string[];
  /** Open 443 on the ALB (only with an HTTPS listener). @default false */
  readonly https?: boolean;
  /**
   * CloudFront's origin-facing managed prefix list: when set, the (internal) ALB admits port 80
   * from it alone, which is how a CloudFront VPC origin reaches it; albIngressCidrs do not apply.
   */
  readonly cloudFrontPrefixListId?: string;
  /** The container port (`API_PORT`). */
  readonly containerPort: number;
  readonly databasePort: number;
  /** The API's Prometheus port (`METRICS_PORT`): never the ALB's to forward. */
  readonly metricsPort: number;
  /** In-VPC scrapers the tasks admit on metricsPort. @default none */
  readonly metricsScrapeCidrs?: readonly string[];
}

/** The ALB group's description, as first deployed. */
export const ALB_GROUP_DESCRIPTION = 'Public ALB: HTTP(S) in from the allowed CIDRs';

/** @returns the CIDRs the ALB admits, once the props are known to make sense together */
function checkedIngressCidrs(props: SecurityGroupsProps): readonly string[] {
  const cidrs = props.albIngressCidrs ?? ['0.0.0.0/0'];
  if (cidrs.length === 0) {
    throw new Error(
      'SecurityGroups: albIngressCidrs is empty, so nobody could reach the ALB; list at least one CIDR.',
    );
  }
  if (props.cloudFrontPrefixListId && props.albIngressCidrs) {
    throw new Error(
      'SecurityGroups: albIngressCidrs and cloudFrontPrefixListId both set; behind CloudFront only CloudFront reaches the ALB, give one.',
    );
  }
  if (props.metricsPort === props.containerPort) {
    throw new Error(
      `SecurityGroups: metricsPort and containerPort are both ${props.metricsPort}; metrics must not share the port the ALB forwards.`,
    );
  }
  if (props.containerPort === props.databasePort) {
    throw new Error(
      `SecurityGroups: containerPort and databasePort are both ${props.databasePort}; rules could not tell the hops apart, pick different ports.`,
    );
  }
  return cidrs;
}

/**
 * Traffic flows ALB → tasks → database, each hop allowed by security-group reference, never by CIDR.
 * Every group and rule carries a description (CKV_AWS_23). Egress is scoped (CKV_AWS_382): the ALB
 * reaches only the tasks; tasks reach the database and HTTPS (ECR, Secrets Manager, CloudWatch
 * through NAT); the database initiates nothing.
 */
export class SecurityGroups extends Construct {
  public readonly alb: SecurityGroup;
  public readonly service: SecurityGroup;
  public readonly database: SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const cidrs = checkedIngressCidrs(props);
    const group = (groupId: string, name: string, description: string) =>
      new SecurityGroup(this, groupId, {
        name,
        description,
        vpcId: props.vpcId,
        tags: { Name: name },
        // The names are fixed, so a replacement (new name, description or VPC) cannot sit
        // beside the old group: it fails at create, before anything is deleted, instead of
        // hanging on a delete that attached ENIs block. Such changes need a planned swap.
        lifecycle: { createBeforeDestroy: true },
      });
    // One description in every TLS mode: a changed description replaces the group, which its
    // fixed name makes fail; the rules say where traffic comes from.
    this.alb = group('alb', props.albSecurityGroupName, ALB_GROUP_DESCRIPTION);
    this.service = group(
      'service',
      props.serviceSecurityGroupName,
      `ECS tasks: port ${props.containerPort} from the ALB only`,
    );
    this.database = group(
      'database',
      props.databaseSecurityGroupName,
      `PostgreSQL: port ${props.databasePort} from the ECS tasks only`,
    );

    if (props.cloudFrontPrefixListId) this.admitCloudFront(props.cloudFrontPrefixListId);
    else this.admitCidrs(cidrs, props.https ?? false);
    new VpcSecurityGroupEgressRule(this, 'alb-out-tasks', {
      securityGroupId: this.alb.id,
      description: `Forward to the ECS tasks on ${props.containerPort}`,
      ipProtocol: 'tcp',
      fromPort: props.containerPort,
      toPort: props.containerPort,
      referencedSecurityGroupId: this.service.id,
    });

    new VpcSecurityGroupIngressRule(this, 'service-in-alb', {
      securityGroupId: this.service.id,
      description: `Container port ${props.containerPort} from the ALB`,
      ipProtocol: 'tcp',
      fromPort: props.containerPort,
      toPort: props.containerPort,
      referencedSecurityGroupId: this.alb.id,
    });
    this.admitScrapers(props.metricsPort, props.metricsScrapeCidrs ?? []);
    new VpcSecurityGroupEgressRule(this, 'service-out-https', {
      securityGroupId: this.service.id,
      // By design (a suppression in policy/suppressions.ts): ECR, Secrets Manager and CloudWatch Logs
      // through NAT.
      description: 'HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch) through NAT',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    new VpcSecurityGroupEgressRule(this, 'service-out-database', {
      securityGroupId: this.service.id,
      description: `PostgreSQL on ${props.databasePort}`,
      ipProtocol: 'tcp',
      fromPort: props.databasePort,
      toPort: props.databasePort,
      referencedSecurityGroupId: this.database.id,
    });

    new VpcSecurityGroupIngressRule(this, 'database-in-service', {
      securityGroupId: this.database.id,
      description: `PostgreSQL on ${props.databasePort} from the ECS tasks`,
      ipProtocol: 'tcp',
      fromPort: props.databasePort,
      toPort: props.databasePort,
      referencedSecurityGroupId: this.service.id,
    });
  }

  /** The metrics port, from in-VPC scrapers only: no listener forwards it. */
  private admitScrapers(metricsPort: number, cidrs: readonly string[]): void {
    cidrs.forEach(
      (cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `service-in-metrics-${i}`, {
          securityGroupId: this.service.id,
          description: `Prometheus scrape on ${metricsPort} from ${cidr} (inside the VPC)`,
          ipProtocol: 'tcp',
          fromPort: metricsPort,
          toPort: metricsPort,
          cidrIpv4: cidr,
        }),
    );
  }

  private admitCidrs(cidrs: readonly string[], https: boolean): void {
    const ports = https ? [80, 443] : [80];
    cidrs.forEach((cidr, i) =>
      ports.forEach(
        (port) =>
          new VpcSecurityGroupIngressRule(this, `alb-in-${port}-${i}`, {
            securityGroupId: this.alb.id,
            description:
              port === 80 && https
                ? `HTTP from ${cidr}, redirected to HTTPS`
                : `${port === 443 ? 'HTTPS' : 'HTTP'} from ${cidr}`,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
          }),
      ),
    );
  }

  private admitCloudFront(prefixListId: string): void {
    new VpcSecurityGroupIngressRule(this, 'alb-in-cloudfront', {
      securityGroupId: this.alb.id,
      description: 'HTTP from CloudFront (origin-facing prefix list, the VPC origin)',
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      prefixListId,
    });
  }
}
