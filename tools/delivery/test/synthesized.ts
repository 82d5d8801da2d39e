import { resourceNames } from '@prod-e/deployment';

import { synthesizedStackFile } from '../src/lib/paths';
import {
  readSynthesizedStack,
  type SynthesizedTaskDefinition,
  serviceTaskDefinition,
} from '../src/lib/task-definition';

/**
 * The prod service's task definition as `nx run infra:synth` wrote it (the test target depends on
 * that synth), so the image is checked against what ECS will really run, not a copy of it.
 */
export async function synthesizedProdTaskDefinition(): Promise<SynthesizedTaskDefinition> {
  const names = resourceNames('prod');
  return serviceTaskDefinition(
    await readSynthesizedStack(synthesizedStackFile(names.stack)),
    names,
  );
}
