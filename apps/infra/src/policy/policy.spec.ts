import { resourceNames } from '@prod-e/config';

import { synthesize } from '../testing/synth';
import { BAD_FIXTURE } from './bad-fixture';
import { evaluatePolicies, formatViolations, type PolicyReport } from './evaluate';
import { POLICY_RULES } from './rules';
import { SUPPRESSIONS } from './suppressions';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

const variants = {
  'prod (defaults)': {},
  'prod with a certificate, blue/green and a deploy role': {
    certificateArn: CERTIFICATE,
    blueGreen: true,
    githubRepository: 'acme/prod-e',
  },
  staging: { environment: 'staging', imageTag: 'abc1234' },
} as const;

const reports: Record<string, PolicyReport> = {};

beforeAll(() => {
  for (const [name, overrides] of Object.entries(variants)) {
    reports[name] = evaluatePolicies(synthesize(overrides).json);
  }
});

describe('GIVEN the policy rules over the synthesized stacks', () => {
  it.each(Object.keys(variants))('WHEN %s THEN nothing is violated', (name) => {
    const report = reports[name];
    expect(formatViolations(report.violations)).toBe('');
    expect(report.rulesEvaluated).toBe(POLICY_RULES.length);
  });

  it('WHEN a certificate is set THEN the HTTPS rules pass on their own (their suppressions lapse)', () => {
    const suppressed = reports[
      'prod with a certificate, blue/green and a deploy role'
    ].suppressed.map((s) => s.ruleId);
    expect(suppressed).not.toEqual(expect.arrayContaining(['CKV_AWS_2']));
    expect(suppressed).not.toContain('CKV2_AWS_20');
    expect(suppressed).not.toContain('CKV_AWS_378');
  });

  it('WHEN prod THEN the cost trade-offs are not suppressed: Multi-AZ, WAF, 1-year logs and deletion protection hold', () => {
    const suppressed = reports['prod (defaults)'].suppressed.map((s) => s.ruleId);
    for (const id of ['CKV_AWS_157', 'CKV2_AWS_28', 'CKV_AWS_338', 'CKV_AWS_150', 'CKV_AWS_293']) {
      expect(suppressed).not.toContain(id);
    }
  });

  it('THEN the bootstrap stack passes too', () => {
    const { bootstrap } = synthesize();
    const report = evaluatePolicies(bootstrap.toTerraform());
    expect(formatViolations(report.violations)).toBe('');
    expect(bootstrap.node.id).toBe(`${resourceNames('prod').stack}-bootstrap`);
  });
});

describe('GIVEN a fixture that breaks every rule', () => {
  const findings = evaluatePolicies(BAD_FIXTURE, { suppressions: [] }).violations;

  it.each(POLICY_RULES.map((rule) => [rule.id, rule.title]))('THEN %s (%s) fires', (id) => {
    expect(findings.filter((f) => f.ruleId === id).length).toBeGreaterThan(0);
  });

  it('THEN rule ids are unique', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('GIVEN the suppression list', () => {
  it('THEN each names a real rule and gives a reason', () => {
    const ids = new Set(POLICY_RULES.map((r) => r.id));
    for (const s of SUPPRESSIONS) {
      expect(ids.has(s.ruleId)).toBe(true);
      expect(s.reason.length).toBeGreaterThan(30);
    }
  });

  it('THEN each is needed by at least one variant (no stale suppressions)', () => {
    const used = new Set(
      Object.values(reports).flatMap((r) => r.suppressed.map((s) => `${s.ruleId} ${s.reason}`)),
    );
    const unused = SUPPRESSIONS.filter((s) => !used.has(`${s.ruleId} ${s.reason}`)).map(
      (s) => s.ruleId,
    );
    expect(unused).toEqual([]);
  });

  it('errors when a suppression is removed: the finding comes back as a violation', () => {
    const { json } = synthesize();
    const report = evaluatePolicies(json, {
      suppressions: SUPPRESSIONS.filter((s) => s.ruleId !== 'AVD-AWS-0053'),
    });
    expect(report.violations.map((v) => v.ruleId)).toEqual(['AVD-AWS-0053']);
  });
});
