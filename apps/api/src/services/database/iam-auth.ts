import { Signer, type SignerConfig } from '@aws-sdk/rds-signer';
import type { DatabaseConfig } from '@prod-e/api-config';

/** What the pool needs from a signer: a fresh token per call. */
export interface AuthTokenSigner {
  getAuthToken(): Promise<string>;
}

export type SignerFactory = (config: SignerConfig) => AuthTokenSigner;

/**
 * node-postgres's `password` for IAM database authentication: pg calls it for every new
 * connection, so each one presents a token signed moments ago (valid 15 minutes, checked only at
 * connect). Nothing is cached that a credential rotation could make stale; credentials come from
 * the task role through the SDK's default chain.
 */
export function iamAuthPassword(
  db: Pick<DatabaseConfig, 'host' | 'port' | 'user'> & { iamAuth: { region: string } },
  createSigner: SignerFactory = (config) => new Signer(config),
): () => Promise<string> {
  const signer = createSigner({
    hostname: db.host,
    port: db.port,
    username: db.user,
    region: db.iamAuth.region,
  });
  return () => signer.getAuthToken();
}
