/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped Terraform JSON */
import { rmSync } from 'node:fs';

import { validationSetup } from '../cli/validate';
import { adaptToProvider, SIX_X_ONLY } from './compat';
import { type FakeAws, startFakeAws } from './fake-aws';
import { offlinePlan } from './offline-plan';
import { TLS_VARIANTS, validationVariants } from './variants';

const setup = validationSetup();
const describeWithTerraform = 'skip' in setup ? describe.skip : describe;
if ('skip' in setup) {
  // Said once, so a skipped offline plan is never mistaken for a passing one.
  process.stdout.write(`infra offline plan: ${setup.skip}\n`);
}

describe('GIVEN a provider older than the bindings', () => {
  it('THEN only the listed 6.x blocks are removed, each named with its reason', () => {
    const variant = validationVariants().find((v) => v.name === 'bluegreen')!;
    const stack = variant.synth();
    const { json, leftOut } = adaptToProvider(stack, '5.100.0');
    const [service] = Object.values<Record<string, any>>(json.resource!.aws_ecs_service);
    expect(service.deployment_configuration).toBeUndefined();
    expect(service.load_balancer[0].advanced_configuration).toBeUndefined();
    expect(leftOut.filter((line) => line.startsWith('aws_ecs_service'))).toHaveLength(
      SIX_X_ONLY.length,
    );
    // The original is untouched, and a 6.x provider keeps every block.
    const [original] = Object.values<Record<string, any>>(stack.resource!.aws_ecs_service);
    expect(original.deployment_configuration.strategy).toBe('BLUE_GREEN');
    const six = adaptToProvider(stack, '6.25.0');
    expect(six.leftOut.some((line) => line.startsWith('aws_ecs_service'))).toBe(false);
  });
});

describe.each(Object.keys(TLS_VARIANTS))('GIVEN TLS mode %s and a 5.x provider', (mode) => {
  it('THEN nothing of the edge is left out: only the provider pin and the backend change', () => {
    const variant = validationVariants().find((v) => v.name === `tls-${mode}`)!;
    const { leftOut } = adaptToProvider(variant.synth(), '5.100.0');
    expect(leftOut).toEqual([
      expect.stringMatching(/^provider hashicorp\/aws pinned .* → 5\.100\.0/),
      expect.stringMatching(/^backend "s3" dropped/),
    ]);
  });
});

describeWithTerraform('GIVEN terraform and an offline AWS provider mirror', () => {
  let fakeAws: FakeAws;
  beforeAll(async () => {
    fakeAws = await startFakeAws();
  });
  afterAll(async () => {
    await fakeAws.close();
    if (!('skip' in setup)) rmSync(setup.workDir, { recursive: true, force: true });
  });

  it.each(validationVariants().map((v) => [v.name, v] as const))(
    'WHEN the %s stack is planned THEN init, validate and plan -refresh=false succeed offline',
    async (name, variant) => {
      if ('skip' in setup) return;
      const result = await offlinePlan(name, variant.synth(), { ...setup, fakeAws });
      process.stdout.write(
        `infra offline plan ${name}: ${result.counts.add} to add, ${result.counts.change} to change, ${result.counts.destroy} to destroy\n`,
      );
      expect(result.counts.add).toBeGreaterThan(0);
      expect(result.counts.change + result.counts.destroy).toBe(0);
      expect(fakeAws.calls.filter((call) => call.startsWith('unexpected'))).toEqual([]);
    },
    240_000,
  );
});
