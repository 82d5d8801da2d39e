import { loadApiConfig } from './api-config';
import { ConfigError } from './config-error';

/** The variables the service's task definition sets (no password anywhere). */
const iamEnv = {
  NODE_ENV: 'production',
  API_TOKENS: 'a-production-token-0123456789',
  DB_AUTH: 'iam',
  DB_HOST: 'prod-e-db.abc.us-west-2.rds.amazonaws.com',
  DB_NAME: 'prod_e',
  DB_USER: 'prod_e_api',
  DB_REGION: 'us-west-2',
};

function problemKeys(env: Record<string, string | undefined>): string[] {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.key).sort();
    throw error;
  }
  throw new Error('expected loadApiConfig to throw');
}

describe('GIVEN IAM database authentication', () => {
  it('THEN no password is needed, TLS defaults to verify-full, and the region is kept for the signer', () => {
    const { database } = loadApiConfig(iamEnv);
    expect(database).toMatchObject({
      user: 'prod_e_api',
      password: '',
      ssl: 'verify-full',
      iamAuth: { region: 'us-west-2' },
    });
    expect(database.sslCaFile).toBeUndefined();
  });

  it('errors when the region is missing, a password is set, or TLS would not verify, naming each key', () => {
    expect(
      problemKeys({ ...iamEnv, DB_REGION: undefined, DB_PASSWORD: 'old', DB_SSL: 'require' }),
    ).toEqual(['DB_PASSWORD', 'DB_REGION', 'DB_SSL']);
    // An unknown mode falls back to requiring a password, so both are named.
    expect(problemKeys({ ...iamEnv, DB_AUTH: 'kerberos' })).toEqual(['DB_AUTH', 'DB_PASSWORD']);
  });

  it('WHEN unset THEN password authentication is unchanged (local development)', () => {
    const { database } = loadApiConfig({
      DATABASE_URL: 'postgres://prod_e:prod_e@127.0.0.1:5432/prod_e',
    });
    expect(database).toMatchObject({ password: 'prod_e', ssl: 'disable' });
    expect(database.iamAuth).toBeUndefined();
  });

  it('THEN DB_SSL_CA_FILE replaces the trusted CAs', () => {
    expect(loadApiConfig({ ...iamEnv, DB_SSL_CA_FILE: '/etc/ca.pem' }).database.sslCaFile).toBe(
      '/etc/ca.pem',
    );
  });
});
