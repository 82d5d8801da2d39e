import { type Finding, PolicyContext, type PolicyRule, type TerraformJson } from './engine';
import { POLICY_RULES } from './rules';
import { type Suppression, SUPPRESSIONS } from './suppressions';

export interface PolicyReport {
  readonly violations: Finding[];
  readonly suppressed: (Finding & { readonly reason: string })[];
  /** How many rules ran. */
  readonly rulesEvaluated: number;
}

export interface EvaluateOptions {
  readonly rules?: readonly PolicyRule[];
  readonly suppressions?: readonly Suppression[];
  /** @default the provider's default `Environment` tag, else 'prod' */
  readonly environment?: string;
}

/** The environment a stack deploys, from the provider's default tags. */
export function environmentOf(json: TerraformJson): string | undefined {
  const aws = [(json.provider as { aws?: unknown } | undefined)?.aws ?? []].flat()[0] as
    { default_tags?: { tags?: Record<string, string> }[] } | undefined;
  return aws?.default_tags?.[0]?.tags?.Environment;
}

/** Runs every rule over the synthesized JSON; findings not suppressed are violations. */
export function evaluatePolicies(json: TerraformJson, options: EvaluateOptions = {}): PolicyReport {
  const environment = options.environment ?? environmentOf(json) ?? 'prod';
  const ctx = new PolicyContext(json, environment);
  const rules = options.rules ?? POLICY_RULES;
  const active = (options.suppressions ?? SUPPRESSIONS).filter(
    (s) =>
      (!s.nonProdOnly || environment !== 'prod') &&
      (s.while?.holds(ctx) ?? true) &&
      !s.until?.holds(ctx),
  );
  const report: PolicyReport = { violations: [], suppressed: [], rulesEvaluated: rules.length };
  for (const finding of rules.flatMap((rule) => rule.evaluate(ctx))) {
    const suppression = active.find(
      (s) => s.ruleId === finding.ruleId && s.path.test(finding.path),
    );
    if (suppression) report.suppressed.push({ ...finding, reason: suppression.reason });
    else report.violations.push(finding);
  }
  return report;
}

/** One line per violation, for test failures and the CLI. */
export function formatViolations(violations: readonly Finding[]): string {
  return violations.map((v) => `${v.ruleId} ${v.path}: ${v.message}`).join('\n');
}
