import { readFile } from 'node:fs/promises';

import { API_PORT } from '@prod-e/health-contract';
import { parse } from 'yaml';

import { COMPOSE_DEV_FILE, COMPOSE_FILE } from '../src/lib/paths';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  cap_drop?: string[];
  security_opt?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  ports?: string[];
  init?: boolean;
  extends?: { file: string; service: string };
}
type ComposeFile = { services: Record<string, Service> };

const REQUIRED = /^\$\{(\w+):\?.+\}$/;

describe('docker/compose.yaml', () => {
  let services: Record<string, Service>;
  beforeAll(async () => {
    services = (parse(await readFile(COMPOSE_FILE, 'utf8')) as ComposeFile).services;
  });

  it('runs the API image built from docker/api.Dockerfile with the repository as context', () => {
    expect(services.api.build).toEqual({ context: '..', dockerfile: 'docker/api.Dockerfile' });
  });

  it('pins the official PostgreSQL image by tag and digest and probes it with pg_isready', () => {
    expect(services.postgres.image).toMatch(/^postgres:17[\w.-]*@sha256:[0-9a-f]{64}$/);
    expect(services.postgres.healthcheck?.test[0]).toBe('CMD-SHELL');
    expect(services.postgres.healthcheck?.test[1]).toMatch(/^pg_isready\b/);
  });

  it('starts the API only once PostgreSQL is healthy', () => {
    expect(services.api.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it.each(['api', 'postgres'])(
    'hardens %s: no capabilities, no privilege escalation, read-only root with /tmp',
    (name) => {
      const service = services[name];

      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toContain('/tmp');
    },
  );

  it('takes every secret as a required variable, never a default', () => {
    const env = services.api.environment ?? {};
    const secrets = Object.entries({ ...env, ...services.postgres.environment }).filter(([key]) =>
      /PASSWORD|TOKEN|SECRET/.test(key),
    );

    expect(secrets.map(([key]) => key).sort()).toEqual([
      'API_TOKENS',
      'DB_PASSWORD',
      'POSTGRES_PASSWORD',
    ]);
    for (const [, value] of secrets) expect(String(value)).toMatch(REQUIRED);
  });

  it('serves on localhost at the contract port, in production mode, applying migrations at start', () => {
    const env = services.api.environment ?? {};

    expect(services.api.ports).toEqual([`127.0.0.1:${API_PORT}:${API_PORT}`]);
    expect(String(env.PORT)).toBe(String(API_PORT));
    expect(env.NODE_ENV).toBe('production');
    expect(env.MIGRATIONS_RUN).toBe('true');
    expect(env.DB_HOST).toBe('postgres');
    expect(services.api.init).toBe(true);
  });
});

describe('docker/compose.dev.yaml', () => {
  it('extends the base PostgreSQL service instead of repeating it', async () => {
    const dev = parse(await readFile(COMPOSE_DEV_FILE, 'utf8')) as ComposeFile;

    expect(Object.keys(dev.services)).toEqual(['postgres']);
    expect(dev.services.postgres.extends).toEqual({ file: 'compose.yaml', service: 'postgres' });
    expect(dev.services.postgres.image).toBeUndefined();
  });
});
