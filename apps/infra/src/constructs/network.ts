import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';

import type { AwsEnvironment } from './aws-environment';
import { findLogGroupsStatement, policyDocument, serviceTrustPolicy } from './iam-document';
import { encryptedLogGroup } from './logs';

const ANYWHERE = '0.0.0.0/0';

export interface NetworkProps {
  readonly aws: AwsEnvironment;
  readonly vpcName: string;
  /** @default '10.0.0.0/16' */
  readonly vpcCidr?: string;
  /** One public and one private subnet per zone, in this order. */
  readonly availabilityZones: readonly string[];
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly publicSubnetNames: readonly string[];
  readonly privateSubnetNames: readonly string[];
  readonly internetGatewayName: string;
  readonly natGatewayName: string;
  /** The flow-log delivery role. */
  readonly flowLogRoleName: string;
  /**
   * One NAT gateway per zone, so losing a zone does not cut the other zone's tasks off from ECR.
   * @default false (one shared NAT gateway: cheaper, a single-zone dependency for egress)
   */
  readonly natGatewayPerAz?: boolean;
  readonly flowLogGroupName: string;
  /** @default 14 */
  readonly flowLogRetentionDays?: number;
  readonly kmsKeyArn: string;
}

/** ELB.13 and RDS subnet groups need two zones, and every per-zone list needs one entry per zone. */
function assertOnePerZone(props: NetworkProps): void {
  const zones = props.availabilityZones;
  if (zones.length < 2) {
    throw new Error(
      'Network: give at least two availabilityZones (ELB.13 and RDS subnet groups need two).',
    );
  }
  const lists = {
    publicSubnetCidrs: props.publicSubnetCidrs,
    privateSubnetCidrs: props.privateSubnetCidrs,
    publicSubnetNames: props.publicSubnetNames,
    privateSubnetNames: props.privateSubnetNames,
  };
  for (const [key, list] of Object.entries(lists)) {
    if (list.length !== zones.length) {
      throw new Error(
        `Network: ${key} has ${list.length} entries for ${zones.length} availabilityZones; give one per zone.`,
      );
    }
  }
}

/**
 * VPC with public subnets (ALB, NAT) and private subnets (tasks, database) in two zones, an
 * internet gateway, NAT, route tables, flow logs (CKV2_AWS_11) and a default security group with
 * no rules (CKV2_AWS_12). No subnet hands out public IPs (CKV_AWS_130): the ALB and the NAT
 * gateway's Elastic IP get theirs without it.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly defaultSecurityGroup: DefaultSecurityGroup;
  public readonly publicSubnets: Subnet[];
  public readonly privateSubnets: Subnet[];
  public readonly internetGateway: InternetGateway;
  public readonly natGateways: NatGateway[];
  public readonly publicRouteTable: RouteTable;
  public readonly privateRouteTables: RouteTable[];
  /** The private default routes: whatever needs egress (image pulls, migrations) waits on them. */
  public readonly privateDefaultRoutes: Route[];
  public readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    assertOnePerZone(props);
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr ?? '10.0.0.0/16',
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.vpcName },
    });
    // Adopting the default group with no ingress/egress blocks removes its allow-all rules.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.vpcName}-default-deny` },
    });
    this.publicSubnets = props.availabilityZones.map((_, i) => this.subnet(props, 'public', i));
    this.privateSubnets = props.availabilityZones.map((_, i) => this.subnet(props, 'private', i));
    this.internetGateway = new InternetGateway(this, 'internet-gateway', {
      vpcId: this.vpc.id,
      tags: { Name: props.internetGatewayName },
    });
    this.publicRouteTable = this.publicRouting(props);
    this.natGateways = this.natGatewaysFor(props);
    this.privateRouteTables = [];
    this.privateDefaultRoutes = [];
    this.privateSubnets.forEach((s, i) => this.privateRouting(props, s, i));
    this.flowLog = this.flowLogs(props);
  }

  private subnet(props: NetworkProps, kind: 'public' | 'private', index: number): Subnet {
    return new Subnet(this, `${kind}-subnet-${index}`, {
      vpcId: this.vpc.id,
      availabilityZone: props.availabilityZones[index],
      cidrBlock: (kind === 'public' ? props.publicSubnetCidrs : props.privateSubnetCidrs)[index],
      mapPublicIpOnLaunch: false,
      tags: {
        Name: (kind === 'public' ? props.publicSubnetNames : props.privateSubnetNames)[index],
        Tier: kind,
      },
    });
  }

  /** One public route table: the default route through the internet gateway. */
  private publicRouting(props: NetworkProps): RouteTable {
    const table = new RouteTable(this, 'public-route-table', {
      vpcId: this.vpc.id,
      tags: { Name: `${props.vpcName}-public` },
    });
    new Route(this, 'public-default-route', {
      routeTableId: table.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: this.internetGateway.id,
    });
    this.publicSubnets.forEach(
      (s, i) =>
        new RouteTableAssociation(this, `public-route-table-association-${i}`, {
          subnetId: s.id,
          routeTableId: table.id,
        }),
    );
    return table;
  }

  private natGatewaysFor(props: NetworkProps): NatGateway[] {
    const natCount = props.natGatewayPerAz ? props.availabilityZones.length : 1;
    return Array.from({ length: natCount }, (_, i) => {
      const name = natCount === 1 ? props.natGatewayName : `${props.natGatewayName}-${i}`;
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: 'vpc',
        tags: { Name: name },
        dependsOn: [this.internetGateway],
      });
      return new NatGateway(this, `nat-gateway-${i}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        connectivityType: 'public',
        tags: { Name: name },
      });
    });
  }

  /** A route table per private subnet, its default route through the zone's NAT (or the one). */
  private privateRouting(props: NetworkProps, subnet: Subnet, i: number): void {
    const table = new RouteTable(this, `private-route-table-${i}`, {
      vpcId: this.vpc.id,
      tags: { Name: `${props.privateSubnetNames[i]}-routes` },
    });
    this.privateRouteTables.push(table);
    this.privateDefaultRoutes.push(
      new Route(this, `private-default-route-${i}`, {
        routeTableId: table.id,
        destinationCidrBlock: ANYWHERE,
        natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id,
      }),
    );
    new RouteTableAssociation(this, `private-route-table-association-${i}`, {
      subnetId: subnet.id,
      routeTableId: table.id,
    });
  }

  /** CKV2_AWS_11: every flow to an encrypted log group, through a role that may write only there. */
  private flowLogs(props: NetworkProps): FlowLog {
    const flowLogGroup = encryptedLogGroup(this, 'flow-log-group', {
      name: props.flowLogGroupName,
      retentionDays: props.flowLogRetentionDays ?? 14,
      kmsKeyArn: props.kmsKeyArn,
    });
    const flowLogRole = new IamRole(this, 'flow-log-role', {
      name: props.flowLogRoleName,
      description: 'VPC flow logs delivery to CloudWatch Logs',
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', props.aws),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      name: 'deliver-flow-logs',
      role: flowLogRole.id,
      policy: policyDocument([
        findLogGroupsStatement('FindFlowLogGroup', props.aws),
        {
          Sid: 'WriteFlowLogsToItsGroup',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: `${flowLogGroup.arn}:*`,
        },
      ]),
    });
    return new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.vpcName}-flow-log` },
    });
  }
}
