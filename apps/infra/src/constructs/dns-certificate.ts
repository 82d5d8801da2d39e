import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import type { Lb } from '@cdktf/provider-aws/lib/lb';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';

export interface DnsCertificateProps {
  /** The name clients use, e.g. api.example.com. */
  readonly domainName: string;
  /** The Route 53 hosted zone that holds domainName. */
  readonly hostedZoneId: string;
}

/**
 * An ACM certificate for one name, validated through a Route 53 record the stack writes (ACM
 * renews it on its own while the record stays). `certificateArn` resolves only once ACM has
 * issued it, so a listener that uses it waits for the validation.
 */
export class DnsCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  public readonly validation: AcmCertificateValidation;
  /** The issued certificate's ARN (through the validation). */
  public readonly certificateArn: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DnsCertificateProps,
  ) {
    super(scope, id);
    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domainName,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      // A replacement (another name) is issued before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: props.domainName },
    });
    // One name, so exactly one validation option.
    const option = this.certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, 'validation-record', {
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [record.fqdn],
    });
    this.certificateArn = this.validation.certificateArn;
  }

  /** Points the name at the ALB (an alias A record: no extra lookups, no TTL to wait out). */
  aliasTo(alb: Lb): Route53Record {
    return new Route53Record(this, 'alias-record', {
      zoneId: this.props.hostedZoneId,
      name: this.props.domainName,
      type: 'A',
      alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
    });
  }
}
