import { type DeploymentSettings, edgeProxyHops, type ResourceNames } from '@prod-e/deployment';
import { API_PORT } from '@prod-e/health-contract';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktf';

import { CloudFrontEdge } from '../../constructs/cloudfront-edge';
import { DnsCertificate } from '../../constructs/dns-certificate';
import { LoadBalancer } from '../../constructs/load-balancer';
import { WAF_MANAGED_RULE_GROUPS, WebAcl } from '../../constructs/waf';
import { providerDefaults } from './foundation';
import type { NetworkLayer } from './network';

/** CloudFront's web ACLs live in us-east-1, whatever the stack's region. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

export interface Edge {
  readonly loadBalancer: LoadBalancer;
  /** The ALB's web ACL (wafEnabled). */
  readonly webAcl?: WebAcl;
  /** CloudFront mode with wafEnabled: the distribution's web ACL, which holds the rate rule. */
  readonly edgeWebAcl?: WebAcl;
  /** Domain mode: the certificate the stack issues and the alias record. */
  readonly certificate?: DnsCertificate;
  /** CloudFront mode: the distribution and its VPC origin. */
  readonly cloudFront?: CloudFrontEdge;
  /** `https://…` (or `http://` where plain HTTP is set): what verify, status and smoke probe. */
  readonly serviceUrl: string;
  /** Proxies that append to X-Forwarded-For before the API: its TRUSTED_PROXY_HOPS. */
  readonly proxyHops: number;
}

interface EdgeContext {
  readonly settings: DeploymentSettings;
  readonly names: ResourceNames;
  readonly networkLayer: NetworkLayer;
}

/**
 * How the internet reaches the tasks, per TLS mode: the ALB (internet-facing with HTTPS on 443, or
 * internal behind CloudFront), the certificate or distribution in front, and the web ACLs.
 */
export function buildEdge(stack: TerraformStack, context: EdgeContext): Edge {
  const { settings, names } = context;
  const { tls } = settings;
  const { network, securityGroups } = context.networkLayer;
  const certificate =
    tls.mode === 'domain' ? new DnsCertificate(stack, 'certificate', tls) : undefined;
  const certificateArn =
    certificate?.certificateArn ?? (tls.mode === 'certificate' ? tls.certificateArn : undefined);
  const behindCloudFront = tls.mode === 'cloudfront';
  const loadBalancer = new LoadBalancer(stack, 'load-balancer', {
    name: names.loadBalancer,
    targetGroupName: names.targetGroup,
    vpcId: network.vpc.id,
    internal: behindCloudFront,
    subnetIds: (behindCloudFront ? network.privateSubnets : network.publicSubnets).map((s) => s.id),
    securityGroupId: securityGroups.alb.id,
    containerPort: API_PORT,
    healthCheckWiring: settings.healthCheckWiring,
    certificateArn,
    deletionProtection: settings.deletionProtection,
    accessLogsBucket: settings.accessLogsBucket,
    blueGreen: settings.blueGreen,
  });
  certificate?.aliasTo(loadBalancer.alb);
  const webAcl = settings.wafEnabled
    ? new WebAcl(stack, 'waf', {
        name: names.webAcl,
        scope: 'REGIONAL',
        managedRuleGroups: WAF_MANAGED_RULE_GROUPS,
        // Behind CloudFront the ALB sees CloudFront's addresses: the rate rule sits at CloudFront.
        rateLimit: !behindCloudFront,
        associateWith: loadBalancer.alb.arn,
      })
    : undefined;
  const edgeWebAcl =
    behindCloudFront && settings.wafEnabled ? cloudFrontWebAcl(stack, settings, names) : undefined;
  const cloudFront = behindCloudFront
    ? new CloudFrontEdge(stack, 'cloudfront', {
        name: names.vpcOrigin,
        alb: loadBalancer.alb,
        webAclArn: edgeWebAcl?.acl.arn,
      })
    : undefined;
  return {
    loadBalancer,
    webAcl,
    edgeWebAcl,
    certificate,
    cloudFront,
    serviceUrl: cloudFront?.url ?? albUrl(settings, loadBalancer),
    proxyHops: edgeProxyHops(tls),
  };
}

function cloudFrontWebAcl(
  stack: TerraformStack,
  settings: DeploymentSettings,
  names: ResourceNames,
): WebAcl {
  const provider = new AwsProvider(stack, 'aws-cloudfront-waf', {
    alias: 'cloudfront_waf',
    region: CLOUDFRONT_WAF_REGION,
    ...providerDefaults(settings),
  });
  return new WebAcl(stack, 'edge-waf', {
    name: names.edgeWebAcl,
    scope: 'CLOUDFRONT',
    // The rate rule keys on the viewer's own address, which only CloudFront sees.
    rateLimit: true,
    managedRuleGroups: ['AWSManagedRulesKnownBadInputsRuleSet'],
    provider,
  });
}

/** The URL clients use when the ALB itself is the edge. */
function albUrl(settings: DeploymentSettings, loadBalancer: LoadBalancer): string {
  const { tls } = settings;
  if (tls.mode === 'domain') return `https://${tls.domainName}`;
  if (tls.mode === 'certificate') return `https://${tls.domainName ?? loadBalancer.alb.dnsName}`;
  return `http://${loadBalancer.alb.dnsName}`;
}
