import type { DeploymentSettings, ResourceNames } from '@prod-e/deployment';
import { API_PORT, METRICS_PORT } from '@prod-e/health-contract';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import type { TerraformStack } from 'cdktf';

import type { AwsEnvironment } from '../../constructs/aws-environment';
import { Network } from '../../constructs/network';
import { SecurityGroups } from '../../constructs/security-groups';

/** The AWS-managed list of the addresses CloudFront reaches origins from (VPC origins included). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

export interface NetworkLayer {
  readonly network: Network;
  readonly securityGroups: SecurityGroups;
}

/** VPC, subnets in two zones, NAT and flow logs; then the security groups ALB → tasks → database. */
export function buildNetworkLayer(
  stack: TerraformStack,
  context: {
    settings: DeploymentSettings;
    names: ResourceNames;
    aws: AwsEnvironment;
    kmsKeyArn: string;
  },
): NetworkLayer {
  const { settings, names } = context;
  const network = new Network(stack, 'network', {
    aws: context.aws,
    vpcName: names.vpc,
    vpcCidr: settings.vpcCidr,
    availabilityZones: settings.availabilityZones,
    publicSubnetCidrs: settings.publicSubnetCidrs,
    privateSubnetCidrs: settings.privateSubnetCidrs,
    publicSubnetNames: names.publicSubnets,
    privateSubnetNames: names.privateSubnets,
    internetGatewayName: names.internetGateway,
    natGatewayName: names.natGateway,
    flowLogRoleName: names.flowLogRole,
    natGatewayPerAz: settings.natGatewayPerAz,
    flowLogGroupName: names.flowLogGroup,
    flowLogRetentionDays: settings.logRetentionDays,
    kmsKeyArn: context.kmsKeyArn,
  });
  const behindCloudFront = settings.tls.mode === 'cloudfront';
  const securityGroups = new SecurityGroups(stack, 'security-groups', {
    vpcId: network.vpc.id,
    albSecurityGroupName: names.albSecurityGroup,
    serviceSecurityGroupName: names.serviceSecurityGroup,
    databaseSecurityGroupName: names.databaseSecurityGroup,
    albIngressCidrs: behindCloudFront ? undefined : settings.albIngressCidrs,
    cloudFrontPrefixListId: behindCloudFront
      ? new DataAwsEc2ManagedPrefixList(stack, 'cloudfront-prefix-list', {
          name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
        }).id
      : undefined,
    https: settings.tls.mode === 'domain' || settings.tls.mode === 'certificate',
    containerPort: API_PORT,
    databasePort: settings.databasePort,
    metricsPort: METRICS_PORT,
    metricsScrapeCidrs: settings.metricsScrapeCidrs,
  });
  return { network, securityGroups };
}
