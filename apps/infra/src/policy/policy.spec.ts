import { readFileSync } from 'node:fs';
import path from 'node:path';

import { accountResourceNames, COMMITTED_ENVIRONMENTS } from '@prod-e/deployment';

import { type Synthesized, synthesize } from '../testing/synth';
import { BAD_FIXTURE } from './bad-fixture';
import type { TerraformJson } from './engine';
import { evaluatePolicies, formatViolations, type PolicyReport } from './evaluate';
import { POLICY_RULES } from './rules';
import { SUPPRESSIONS } from './suppressions';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

/** prod's committed default serves HTTPS through CloudFront; the others name their TLS mode. */
const variants = {
  'prod (defaults: CloudFront)': {},
  'prod with a certificate': { tls: { mode: 'certificate', certificateArn: CERTIFICATE } },
  'prod with a certificate, blue/green and a deploy role': {
    tls: { mode: 'certificate', certificateArn: CERTIFICATE },
    blueGreen: true,
    githubRepository: 'acme/prod-e',
  },
  staging: { environment: 'staging', imageTag: 'abc1234' },
  'dev over plain HTTP': { environment: 'dev', imageTag: 'abc1234', tls: { mode: 'http' } },
  // The safer setting must not trip the ECS Exec audit rules: the cluster stays configured.
  'prod with ECS Exec off': { enableExecuteCommand: false },
} as const;

const stacks: Record<string, Synthesized> = {};
const reports: Record<string, PolicyReport> = {};

beforeAll(() => {
  for (const [name, overrides] of Object.entries(variants)) {
    stacks[name] = synthesize(overrides);
    reports[name] = evaluatePolicies(stacks[name].json);
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
    const suppressed = reports['prod with a certificate'].suppressed.map((s) => s.ruleId);
    for (const id of ['CKV_AWS_157', 'CKV2_AWS_28', 'CKV_AWS_338', 'CKV_AWS_150', 'CKV_AWS_293']) {
      expect(suppressed).not.toContain(id);
    }
  });

  it('THEN the bootstrap stack passes too', () => {
    const { bootstrap } = stacks['prod with a certificate'];
    const report = evaluatePolicies(bootstrap.toTerraform());
    expect(formatViolations(report.violations)).toBe('');
    const { accountId, region } = COMMITTED_ENVIRONMENTS.prod;
    expect(bootstrap.node.id).toBe(accountResourceNames(accountId!, region!).bootstrapStack);
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

/** The ids that fire on a small Terraform JSON, no suppressions. */
const firing = (resource: TerraformJson['resource']) =>
  new Set(evaluatePolicies({ resource }, { suppressions: [] }).violations.map((v) => v.ruleId));

describe('GIVEN configurations that only look compliant (each rule checks the intent, not a proxy)', () => {
  it('THEN ELB.13 fires on two subnets in one zone', () => {
    const subnet = { vpc_id: 'vpc-1', availability_zone: 'us-west-2a' };
    expect(
      firing({
        aws_subnet: { a: subnet, b: subnet },
        aws_lb: { lb: { subnets: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] } },
      }),
    ).toContain('ELB.13');
    expect(
      firing({
        aws_subnet: { a: subnet, b: { ...subnet, availability_zone: 'us-west-2b' } },
        aws_lb: { lb: { subnets: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] } },
      }),
    ).not.toContain('ELB.13');
  });

  it('THEN CKV2_AWS_30 fires when the query logging parameters are set to their off values', () => {
    expect(
      firing({
        aws_db_parameter_group: {
          p: {
            parameter: [
              { name: 'log_statement', value: 'none' },
              { name: 'log_min_duration_statement', value: '-1' },
            ],
          },
        },
        aws_db_instance: {
          db: { engine: 'postgres', parameter_group_name: '${aws_db_parameter_group.p.name}' },
        },
      }),
    ).toContain('CKV2_AWS_30');
  });

  it('THEN CKV2_AWS_76 fires when the known bad inputs group only counts', () => {
    const statement = {
      managed_rule_group_statement: { name: 'AWSManagedRulesKnownBadInputsRuleSet' },
    };
    expect(
      firing({
        aws_wafv2_web_acl: {
          acl: { rule: [{ name: 'bad-inputs', override_action: { count: {} }, statement }] },
        },
      }),
    ).toContain('CKV2_AWS_76');
  });

  it('THEN CKV2_AWS_35 fires on a default route through a transit hop that is neither NAT nor gateway', () => {
    expect(
      firing({
        aws_route_table: {
          t: { route: [{ cidr_block: '0.0.0.0/0', vpc_peering_connection_id: 'pcx-1' }] },
        },
      }),
    ).toContain('CKV2_AWS_35');
  });

  it('THEN CKV_AWS_32 fires on "*" among other principals', () => {
    expect(
      firing({
        aws_ecr_repository_policy: {
          p: {
            policy: JSON.stringify({
              Statement: [
                {
                  Sid: 'Mixed',
                  Effect: 'Allow',
                  Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'] },
                  Action: 'ecr:BatchGetImage',
                },
              ],
            }),
          },
        },
      }),
    ).toContain('CKV_AWS_32');
  });
});

describe('GIVEN docs/policy-checks.md', () => {
  const doc = readFileSync(path.resolve(__dirname, '../../../../docs/policy-checks.md'), 'utf8');

  it('THEN it lists every rule, and counts the rules and suppressions there are', () => {
    const listed = POLICY_RULES.filter((rule) => doc.includes(`| \`${rule.id}\``));
    expect(listed.map((r) => r.id)).toEqual(POLICY_RULES.map((r) => r.id));
    expect(doc).toContain(`## Rules (${POLICY_RULES.length})`);
    expect(doc).toContain(`## Suppressions (${SUPPRESSIONS.length},`);
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
    // An internet-facing ALB (prod's default is internal, behind CloudFront).
    const report = evaluatePolicies(
      stacks['prod with a certificate, blue/green and a deploy role'].json,
      {
        suppressions: SUPPRESSIONS.filter((s) => s.ruleId !== 'AVD-AWS-0053'),
      },
    );
    expect(report.violations.map((v) => v.ruleId)).toEqual(['AVD-AWS-0053']);
  });
});
