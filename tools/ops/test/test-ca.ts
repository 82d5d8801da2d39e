import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** PEM of the CA certificate: what a client must trust. */
  caPem: string;
  caFile: string;
  /** A server key and certificate signed by the CA for `names` (DNS or IP SANs). */
  issue(names: readonly string[]): { key: string; cert: string };
  remove(): void;
}

/**
 * A throwaway certificate authority made with the openssl CLI, so TLS is tested against a real
 * chain: a client trusts it only when told to (`ca`, NODE_EXTRA_CA_CERTS), and the server's
 * name must match.
 */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'prod-e-ca-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  // A new P-256 key, unencrypted, written to `keyFile`, with the request or certificate to `out`.
  const newKey = (keyFile: string, out: string) => [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    out,
  ];
  openssl(
    'req',
    '-x509',
    ...newKey(file('ca.key'), file('ca.pem')),
    '-days',
    '2',
    '-subj',
    '/CN=prod-e test CA',
  );
  let serial = 0;
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    issue(names) {
      serial += 1;
      const base = file(`server${serial}`);
      const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
      writeFileSync(`${base}.ext`, `subjectAltName=${san}\n`);
      openssl('req', ...newKey(`${base}.key`, `${base}.csr`), '-subj', `/CN=${names[0]}`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-out',
        `${base}.pem`,
        '-days',
        '2',
        '-extfile',
        `${base}.ext`,
      );
      return {
        key: readFileSync(`${base}.key`, 'utf8'),
        cert: readFileSync(`${base}.pem`, 'utf8'),
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
