import {
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';

import { fakeContext } from './fake-context';
import { pushImage } from './push';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const ecr = mockClient(ECRClient);

describe('pushImage', () => {
  beforeEach(() => {
    ecr.reset();
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from('AWS:pw').toString('base64'),
          proxyEndpoint: `https://${REGISTRY}`,
        },
      ],
    });
    ecr
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error('no such tag'), { name: 'ImageNotFoundException' }));
  });

  it('logs in, then tags and pushes only the commit SHA tag', async () => {
    const { context, calls } = fakeContext('/repo', undefined, { PROD_E_IMAGE_TAG: SHA });

    const pushed = await pushImage(context, { env: 'prod', skipVerify: false });

    expect(pushed).toEqual({ image: `${REGISTRY}/prod-e-backend:${SHA}`, pushed: true });
    expect(calls.map((call) => call.command)).toEqual([
      'docker info --format {{.ServerVersion}}',
      `docker login --username AWS --password-stdin ${REGISTRY}`,
      `docker tag prod-e-backend:${SHA} ${REGISTRY}/prod-e-backend:${SHA}`,
      `docker push ${REGISTRY}/prod-e-backend:${SHA}`,
    ]);
    expect(calls.some((call) => /latest|:prod\b/.test(call.command))).toBe(false);
  });

  it('skips the push when ECR already holds the tag (immutable tags: it is this build)', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageTags: [SHA] }] });
    const { context, calls } = fakeContext('/repo', undefined, { PROD_E_IMAGE_TAG: SHA });

    const pushed = await pushImage(context, { env: 'prod', skipVerify: false });

    expect(pushed.pushed).toBe(false);
    expect(calls.some((call) => call.command.startsWith('docker push'))).toBe(false);
  });

  it('names the build command when the local image is missing', async () => {
    const { context } = fakeContext(
      '/repo',
      (command) => (command.startsWith('docker tag') ? { exitCode: 1 } : undefined),
      {
        PROD_E_IMAGE_TAG: SHA,
      },
    );

    await expect(pushImage(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      `No local image prod-e-backend:${SHA} to push: build it with \`npx nx run api:container --environment prod\`.`,
    );
  });

  it('never pushes latest to prod', async () => {
    const { context, calls } = fakeContext('/repo', undefined, { PROD_E_IMAGE_TAG: 'latest' });

    await expect(pushImage(context, { env: 'prod', skipVerify: false })).rejects.toThrow(
      /imageTag/,
    );
    expect(calls).toEqual([]);
  });
});
