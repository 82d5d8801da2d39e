import { prod } from './environments/prod';

/** An image tag shaped like the git SHA CI deploys. */
export const TEST_IMAGE_TAG = '0123456789abcdef0123456789abcdef01234567';

/** prod's committed settings with an image tag: a complete prod stack without any variables. */
export const prodDeploymentInput = { ...prod, imageTag: TEST_IMAGE_TAG } as const;
