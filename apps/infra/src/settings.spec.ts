import { ConfigError } from '@prod-e/config';

import { settingsFromEnv } from './settings';

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';

describe('GIVEN synth settings from the environment', () => {
  it('WHEN prod has no PROD_E_IMAGE_TAG THEN the image tag is the git SHA', () => {
    expect(settingsFromEnv({}, () => SHA).imageTag).toBe(SHA);
  });

  it('WHEN PROD_E_IMAGE_TAG is set THEN it wins', () => {
    expect(settingsFromEnv({ PROD_E_IMAGE_TAG: 'v1.2.3' }, () => SHA).imageTag).toBe('v1.2.3');
  });

  it('WHEN another environment has no tag THEN the git SHA is not forced on it', () => {
    expect(settingsFromEnv({ PROD_E_ENVIRONMENT: 'staging' }, () => SHA).imageTag).toBe('latest');
  });

  it('errors when variables are bad, naming every key', () => {
    expect(() =>
      settingsFromEnv({ PROD_E_CPU: '300', PROD_E_STATE_BACKEND: 'ftp' }, () => SHA),
    ).toThrow(ConfigError);
    expect(() =>
      settingsFromEnv({ PROD_E_CPU: '300', PROD_E_STATE_BACKEND: 'ftp' }, () => SHA),
    ).toThrow(/cpu[\s\S]*stateBackend/);
  });

  it('errors when prod has neither a tag nor a git checkout', () => {
    expect(() => settingsFromEnv({}, () => undefined)).toThrow(/imageTag/);
  });
});
