import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { withClient } from './test-database';

export interface TestCa {
  readonly dir: string;
  /** PEM file of the CA certificate. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * A throwaway certificate authority and a server certificate it signed for `subjectAltName`
 * (`IP:127.0.0.1`, where the test servers listen), made with the openssl CLI in a fresh directory.
 */
export function createTestCa(subjectAltName = 'IP:127.0.0.1'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'prod-e-test-ca-'));
  chmodSync(dir, 0o755);
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=prod-e test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=prod-e test server',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
    ],
    dir,
  );
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${subjectAltName}\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.crt',
    ],
    dir,
  );
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Turns TLS on in a running test server (superuser), with the CA's server certificate. The key
 * must belong to the server's OS user and be private, so the files take the data directory's owner.
 */
export async function enableServerTls(serverUrl: string, ca: TestCa): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ dir: string }>(
      "SELECT current_setting('data_directory') AS dir",
    );
    const owner = statSync(rows[0].dir);
    for (const file of [ca.certFile, ca.keyFile]) chownSync(file, owner.uid, owner.gid);
    chmodSync(ca.keyFile, 0o600);
    await client.query(`ALTER SYSTEM SET ssl_cert_file = '${ca.certFile}'`);
    await client.query(`ALTER SYSTEM SET ssl_key_file = '${ca.keyFile}'`);
    await client.query("ALTER SYSTEM SET ssl = 'on'");
    await client.query('SELECT pg_reload_conf()');
  });
}
