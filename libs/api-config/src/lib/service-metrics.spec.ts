import { apiTestEnv } from '../testing';
import { loadApiConfig } from './api-config';
import { ConfigError } from './config-error';
import {
  DEFAULT_METRICS_EMF_INTERVAL_MS,
  SERVICE_METRICS_NAMESPACE,
  statusClassOf,
} from './service-metrics';

describe('service metrics settings', () => {
  it('keeps EMF off by default, every 60 s, in the base namespace', () => {
    expect(loadApiConfig(apiTestEnv()).emf).toEqual({
      enabled: false,
      intervalMs: DEFAULT_METRICS_EMF_INTERVAL_MS,
      namespace: SERVICE_METRICS_NAMESPACE,
    });
  });

  it('reads METRICS_EMF, its interval and namespace', () => {
    const env = apiTestEnv({
      METRICS_EMF: 'true',
      METRICS_EMF_INTERVAL_MS: '5000',
      METRICS_EMF_NAMESPACE: 'ProdE/staging',
    });
    expect(loadApiConfig(env).emf).toEqual({
      enabled: true,
      intervalMs: 5000,
      namespace: 'ProdE/staging',
    });
  });

  it('names every bad EMF key at once', () => {
    const env = apiTestEnv({
      METRICS_EMF: 'yes please',
      METRICS_EMF_INTERVAL_MS: '10',
      METRICS_EMF_NAMESPACE: 'AWS/ECS',
    });
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    try {
      loadApiConfig(env);
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.key).sort()).toEqual([
        'METRICS_EMF',
        'METRICS_EMF_INTERVAL_MS',
        'METRICS_EMF_NAMESPACE',
      ]);
    }
  });

  it.each([
    [101, '1xx'],
    [200, '2xx'],
    [304, '3xx'],
    [429, '4xx'],
    [503, '5xx'],
    [599, '5xx'],
  ])('puts status %i in class %s', (code, statusClass) => {
    expect(statusClassOf(code)).toBe(statusClass);
  });
});
