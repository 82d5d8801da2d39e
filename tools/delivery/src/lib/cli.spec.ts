import { parseDeliveryOptions } from './cli';

describe('GIVEN the delivery scripts’ options', () => {
  it('WHEN --prebuilt is given THEN push and deploy are told to push the local image, never build', () => {
    expect(parseDeliveryOptions('push', ['--prebuilt'], {}).prebuilt).toBe(true);
    expect(parseDeliveryOptions('deploy', ['--prebuilt', '--skip-verify'], {})).toEqual({
      env: 'prod',
      skipVerify: true,
      prebuilt: true,
    });
  });

  it('WHEN it is not given THEN the scripts build as before', () => {
    expect(parseDeliveryOptions('push', [], {}).prebuilt).toBe(false);
  });
});
