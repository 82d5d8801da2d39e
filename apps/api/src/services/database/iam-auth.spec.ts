import { Signer } from '@aws-sdk/rds-signer';

import { iamAuthPassword } from './iam-auth';

const db = {
  host: 'prod-e-db.abcdefghijkl.us-west-2.rds.amazonaws.com',
  port: 5432,
  user: 'prod_e_api',
  iamAuth: { region: 'us-west-2' },
};

describe('GIVEN IAM database authentication', () => {
  it('THEN each call presigns a connect token for the host, port, user and region, offline', async () => {
    const signers: Signer[] = [];
    const password = iamAuthPassword(db, (config) => {
      const signer = new Signer({
        ...config,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' },
      });
      signers.push(signer);
      return signer;
    });

    const token = await password();

    expect(signers).toHaveLength(1);
    const url = new URL(`https://${token}`);
    expect(url.host).toBe(`${db.host}:${db.port}`);
    expect(url.searchParams.get('Action')).toBe('connect');
    expect(url.searchParams.get('DBUser')).toBe('prod_e_api');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/us-west-2\/rds-db\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('THEN every new connection asks the signer again: nothing is cached to go stale', async () => {
    let issued = 0;
    const password = iamAuthPassword(db, () => ({
      getAuthToken: () => Promise.resolve(`token-${++issued}`),
    }));
    expect([await password(), await password()]).toEqual(['token-1', 'token-2']);
  });
});
