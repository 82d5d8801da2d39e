import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { runCli } from '@prod-e/cli-kit';

import { evaluatePolicies, formatViolations, type TerraformJson } from '../policy';

/** `nx run infra:policy`: the policy rules over every synthesized stack in cdktf.out. */
function main(): number {
  const stacks = path.resolve(__dirname, '..', '..', 'cdktf.out', 'stacks');
  let failed = 0;
  for (const stack of readdirSync(stacks)) {
    const json = JSON.parse(
      readFileSync(path.join(stacks, stack, 'cdk.tf.json'), 'utf8'),
    ) as TerraformJson;
    const report = evaluatePolicies(json);
    process.stdout.write(
      `${stack}: ${report.rulesEvaluated} rules, ${report.violations.length} violations, ${report.suppressed.length} suppressed\n`,
    );
    if (report.violations.length) process.stdout.write(`${formatViolations(report.violations)}\n`);
    failed += report.violations.length;
  }
  return failed ? 1 : 0;
}

void runCli('infra:policy', main);
