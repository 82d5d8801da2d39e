import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import { Construct } from 'constructs';

/**
 * AWS managed CloudFront policies, by their fixed ids (the same in every account; a data source
 * would cost a lookup per plan for a constant).
 */
export const MANAGED_POLICY_IDS = {
  /** Managed-CachingDisabled: an API's answers are per caller, never cached. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /** Managed-AllViewerExceptHostHeader: every header, cookie and query string, but Host. */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
  /** Managed-SecurityHeadersPolicy: HSTS, nosniff, frame options, referrer policy. */
  securityHeaders: '67f7725c-6f97-4210-82d7-5512b31e9d03',
} as const;

/** Every method the API answers: CloudFront forwards them all, caching none. */
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];

const ORIGIN_ID = 'alb';

export interface CloudFrontEdgeProps {
  /** The VPC origin's name. */
  readonly name: string;
  /** The internal ALB the VPC origin reaches. */
  readonly alb: Lb;
  /** A CLOUDFRONT-scope web ACL ARN (made in us-east-1). @default none */
  readonly webAclArn?: string;
}

/**
 * HTTPS without a domain: a CloudFront distribution on its own `*.cloudfront.net` name, in front
 * of an internal ALB that it reaches through a VPC origin (CloudFront's ENIs in the private
 * subnets), so the ALB has no internet-facing address at all. CloudFront ends TLS; the hop to the
 * ALB is HTTP on AWS's network inside the VPC.
 */
export class CloudFrontEdge extends Construct {
  public readonly vpcOrigin: CloudfrontVpcOrigin;
  public readonly distribution: CloudfrontDistribution;
  /** `https://<distribution>.cloudfront.net` */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: CloudFrontEdgeProps) {
    super(scope, id);
    this.vpcOrigin = new CloudfrontVpcOrigin(this, 'vpc-origin', {
      vpcOriginEndpointConfig: [
        {
          name: props.name,
          arn: props.alb.arn,
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy: 'http-only',
          originSslProtocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
      tags: { Name: props.name },
    });
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: `${props.name}: HTTPS in front of the internal ALB`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: 'PriceClass_100',
      webAclId: props.webAclArn,
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: props.alb.dnsName,
          vpcOriginConfig: { vpcOriginId: this.vpcOrigin.id },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        // A bearer token sent over http:// is already exposed; a redirect would only hide that.
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ALL_METHODS,
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
        responseHeadersPolicyId: MANAGED_POLICY_IDS.securityHeaders,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
      tags: { Name: props.name },
    });
    this.url = `https://${this.distribution.domainName}`;
  }
}
