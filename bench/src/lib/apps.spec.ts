import { API_START_COMMAND } from '@prod-e/api-config';

import { appSpecs } from './apps';

describe('appSpecs', () => {
  const specs = appSpecs('postgres://bench@127.0.0.1:5432/bench');

  it('runs prod-e with the Node flags of the container start command', () => {
    const [node, ...rest] = API_START_COMMAND;
    expect([node, ...(specs.prodE.nodeFlags ?? []), 'main.js']).toEqual([node, ...rest]);
    expect(specs.prodENoLog.nodeFlags).toEqual(specs.prodE.nodeFlags);
  });

  it('runs the baseline and the floor servers on Node defaults', () => {
    expect(
      [specs.baseline, specs.floorFastify, specs.floorNodeHttp].map((s) => s.nodeFlags),
    ).toEqual([undefined, undefined, undefined]);
  });
});
