import { synthesize } from '../testing/synth';
import type { TerraformJson, TfValues } from './engine';
import { evaluatePolicies, formatViolations } from './evaluate';
import { wildcardDataArn } from './rules/iam-scope';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

type Json = { resource: Record<string, Record<string, TfValues>> };
type PolicyStatement = Record<string, unknown>;

const synthesized = synthesize({
  tls: { mode: 'certificate', certificateArn: CERTIFICATE },
  githubRepository: 'acme/prod-e',
});
const service = synthesized.json;
const bootstrap = synthesized.bootstrap.toTerraform() as TerraformJson;

/** The rule ids a copy of a compliant stack violates after one change. */
function firingAfter(
  json: TerraformJson,
  change: (copy: Json) => void,
  environment?: string,
): string[] {
  const copy = structuredClone(json) as Json;
  change(copy);
  const ids = evaluatePolicies(copy, { environment }).violations.map((v) => v.ruleId);
  return [...new Set(ids)].sort();
}

const resources = (json: Json, type: string) => Object.values(json.resource[type] ?? {});

/** Rewrites every statement (of the given policy attribute) that `match` selects. */
function editStatements(
  json: Json,
  types: string[],
  attribute: string,
  match: (statement: PolicyStatement) => boolean,
  edit: (statement: PolicyStatement) => void,
): void {
  let edited = 0;
  for (const resource of types.flatMap((type) => resources(json, type))) {
    if (typeof resource[attribute] !== 'string') continue;
    const document = JSON.parse(resource[attribute]);
    for (const statement of [document.Statement].flat().filter(match)) {
      edit(statement);
      edited++;
    }
    resource[attribute] = JSON.stringify(document);
  }
  if (!edited) throw new Error(`no ${types.join('/')} statement matched`);
}

const trusts = (
  json: Json,
  match: (s: PolicyStatement) => boolean,
  edit: (s: PolicyStatement) => void,
) => editStatements(json, ['aws_iam_role'], 'assume_role_policy', match, edit);
const grants = (
  json: Json,
  match: (s: PolicyStatement) => boolean,
  edit: (s: PolicyStatement) => void,
) => editStatements(json, ['aws_iam_role_policy', 'aws_iam_policy'], 'policy', match, edit);

const githubTrust = (s: PolicyStatement) =>
  JSON.stringify(s.Principal).includes('oidc') ||
  JSON.stringify(s.Condition).includes('token.actions');
const grantsAction = (action: string) => (s: PolicyStatement) => [s.Action].flat().includes(action);
const byService = (service: string) => (s: PolicyStatement) =>
  (s.Principal as { Service?: string } | undefined)?.Service === service;
const githubKey = (claim: string) => `token.actions.githubusercontent.com:${claim}`;

describe('GIVEN the compliant prod stacks (a certificate, a deploy role)', () => {
  it('THEN they violate nothing, so each change below is the only violation', () => {
    expect(formatViolations(evaluatePolicies(service).violations)).toBe('');
    expect(formatViolations(evaluatePolicies(bootstrap).violations)).toBe('');
  });
});

describe('GIVEN prod serving plain HTTP (PRODE-PROD-HTTPS)', () => {
  const httpListener = (json: Json) =>
    Object.entries(json.resource.aws_lb_listener).find(([, l]) => l.protocol === 'HTTP')!;
  const targetGroup = (json: Json) =>
    resources(json, 'aws_lb_listener').find((l) => l.protocol === 'HTTPS')!.default_action[0]
      .target_group_arn;

  it('WHEN a listener rule on port 80 forwards one path (the default action still redirects) THEN only PRODE-PROD-HTTPS fires', () => {
    const change = (json: Json) => {
      const [name] = httpListener(json);
      (json.resource.aws_lb_listener_rule ??= {})['plain-http-path'] = {
        listener_arn: `\${aws_lb_listener.${name}.arn}`,
        priority: 20,
        action: [{ type: 'forward', target_group_arn: targetGroup(json) }],
        condition: [{ path_pattern: { values: ['/api/*'] } }],
      };
    };
    expect(firingAfter(service, change)).toEqual(['PRODE-PROD-HTTPS']);
  });

  it('WHEN the load balancer is internal (reached through a CloudFront VPC origin) THEN its port 80 is not the public edge', () => {
    const change = (json: Json) => {
      const [name] = httpListener(json);
      for (const lb of resources(json, 'aws_lb')) lb.internal = true;
      (json.resource.aws_lb_listener_rule ??= {})['plain-http-path'] = {
        listener_arn: `\${aws_lb_listener.${name}.arn}`,
        priority: 20,
        action: [{ type: 'forward', target_group_arn: targetGroup(json) }],
      };
    };
    expect(firingAfter(service, change)).not.toContain('PRODE-PROD-HTTPS');
  });

  it('WHEN a CloudFront behavior lets viewers use plain HTTP THEN only PRODE-PROD-HTTPS fires', () => {
    const behavior = (policy: string) => ({
      target_origin_id: 'alb',
      viewer_protocol_policy: policy,
      allowed_methods: ['GET', 'HEAD'],
      cached_methods: ['GET', 'HEAD'],
    });
    const withViewers = (policy: string) => (json: Json) => {
      json.resource.aws_cloudfront_distribution = {
        edge: {
          enabled: true,
          default_cache_behavior: behavior('redirect-to-https'),
          ordered_cache_behavior: [{ ...behavior(policy), path_pattern: '/api/*' }],
        },
      };
    };
    expect(firingAfter(service, withViewers('allow-all'))).toEqual(['PRODE-PROD-HTTPS']);
    expect(firingAfter(service, withViewers('https-only'))).toEqual([]);
  });

  it('WHEN port 80 forwards and there is no HTTPS listener THEN prod fails: nothing suppresses the HTTPS rules there', () => {
    const change = (json: Json) => {
      const [, listener] = httpListener(json);
      listener.default_action = [{ type: 'forward', target_group_arn: targetGroup(json) }];
      for (const [name, l] of Object.entries(json.resource.aws_lb_listener)) {
        if (l.protocol === 'HTTPS') delete json.resource.aws_lb_listener[name];
      }
      json.resource.aws_lb_listener_rule = {};
    };
    expect(firingAfter(service, change)).toEqual([
      'CKV2_AWS_20',
      'CKV_AWS_2',
      'CKV_AWS_378',
      'PRODE-PROD-HTTPS',
    ]);
    // Outside prod the same stack is a setting away from HTTPS: suppressed until a certificate.
    expect(firingAfter(service, change, 'staging')).toEqual([]);
  });
});

describe('GIVEN prod behind CloudFront (the committed default, an internal ALB on port 80)', () => {
  const cloudfront = synthesize({}).json;
  const viewerPolicies = (json: Json, policy: string) => {
    for (const distribution of resources(json, 'aws_cloudfront_distribution')) {
      distribution.default_cache_behavior.viewer_protocol_policy = policy;
    }
  };

  it('THEN it violates nothing: the ALB port-80 findings are suppressed while CloudFront is the HTTPS edge', () => {
    expect(formatViolations(evaluatePolicies(cloudfront).violations)).toBe('');
  });

  it('WHEN the ALB becomes internet-facing THEN the port-80 findings come back with PRODE-PROD-HTTPS', () => {
    const change = (json: Json) => {
      for (const lb of resources(json, 'aws_lb')) lb.internal = false;
    };
    expect(firingAfter(cloudfront, change)).toEqual(
      expect.arrayContaining(['CKV2_AWS_20', 'CKV_AWS_2', 'CKV_AWS_378', 'PRODE-PROD-HTTPS']),
    );
  });

  it('WHEN the distribution lets viewers use plain HTTP THEN the suppressions lapse and prod fails', () => {
    expect(firingAfter(cloudfront, (json) => viewerPolicies(json, 'allow-all'))).toEqual([
      'CKV2_AWS_20',
      'CKV_AWS_2',
      'CKV_AWS_378',
      'PRODE-PROD-HTTPS',
    ]);
  });
});

describe('GIVEN a web-identity trust (PRODE-OIDC-TRUST)', () => {
  it.each([
    ['aud is a wildcard', 'aud', '*'],
    ['sub pins the repository but not what in it', 'sub', 'repo:acme/prod-e:*'],
  ])('WHEN %s THEN only PRODE-OIDC-TRUST fires', (_, claim, value) => {
    const change = (json: Json) =>
      trusts(json, githubTrust, (s) => {
        const conditions = s.Condition as Record<string, Record<string, unknown>>;
        delete conditions.StringEquals[githubKey(claim)];
        conditions.StringLike = { [githubKey(claim)]: value };
      });
    expect(firingAfter(bootstrap, change)).toEqual(['PRODE-OIDC-TRUST']);
  });

  it('WHEN the environment subject stands alone (any branch, any workflow in the environment) THEN only PRODE-OIDC-TRUST fires', () => {
    const change = (json: Json) =>
      trusts(json, githubTrust, (s) => {
        const conditions = s.Condition as Record<string, Record<string, unknown>>;
        delete conditions.StringEquals[githubKey('ref')];
        delete conditions.StringEquals[githubKey('job_workflow_ref')];
      });
    expect(firingAfter(bootstrap, change)).toEqual(['PRODE-OIDC-TRUST']);
  });

  it('WHEN the sub condition uses a set operator (which passes on a missing claim) THEN it fires', () => {
    const change = (json: Json) =>
      trusts(json, githubTrust, (s) => {
        const conditions = s.Condition as Record<string, Record<string, unknown>>;
        const sub = conditions.StringEquals[githubKey('sub')];
        delete conditions.StringEquals[githubKey('sub')];
        conditions['ForAllValues:StringEquals'] = { [githubKey('sub')]: sub };
      });
    expect(firingAfter(bootstrap, change)).toContain('PRODE-OIDC-TRUST');
  });

  it('WHEN aud or sub is missing THEN it fires', () => {
    for (const claim of ['aud', 'sub']) {
      const change = (json: Json) =>
        trusts(json, githubTrust, (s) => {
          delete (s.Condition as Record<string, Record<string, unknown>>).StringEquals[
            githubKey(claim)
          ];
        });
      expect(firingAfter(bootstrap, change)).toContain('PRODE-OIDC-TRUST');
    }
  });
});

describe('GIVEN data actions on wildcard ARNs (PRODE-DATA-ARNS)', () => {
  it('WHEN the task execution role may read every secret of the account THEN only PRODE-DATA-ARNS fires', () => {
    const change = (json: Json) =>
      grants(json, grantsAction('secretsmanager:GetSecretValue'), (s) => {
        s.Resource = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:*';
      });
    expect(firingAfter(service, change)).toEqual(['PRODE-DATA-ARNS']);
  });

  it('WHEN the deploy role may write objects of every bucket THEN only PRODE-DATA-ARNS fires', () => {
    const change = (json: Json) =>
      grants(json, grantsAction('s3:PutObject'), (s) => {
        s.Resource = 'arn:aws:s3:::*/*';
      });
    expect(firingAfter(bootstrap, change)).toEqual(['PRODE-DATA-ARNS']);
  });

  it('WHEN a role may read items of every table in any region THEN only PRODE-DATA-ARNS fires', () => {
    const change = (json: Json) =>
      grants(json, grantsAction('secretsmanager:GetSecretValue'), (s) => {
        s.Action = ['dynamodb:GetItem'];
        s.Resource = 'arn:aws:dynamodb:*:123456789012:table/prod-e';
      });
    expect(firingAfter(service, change)).toEqual(['PRODE-DATA-ARNS']);
  });

  it('THEN names with a wildcard after them (object keys, the secret suffix, stack references) count as scoped', () => {
    expect(
      [
        'arn:aws:s3:::prod-e-terraform-state/prod-e/*',
        'arn:aws:secretsmanager:us-west-2:123456789012:secret:prod-e/api-tokens-*',
        '${aws_s3_bucket.state.arn}/*',
        '${aws_secretsmanager_secret.token.arn}',
      ].filter(wildcardDataArn),
    ).toEqual([]);
    expect(
      ['*', 'arn:aws:s3:::*', 'arn:aws:dynamodb:us-west-2:123456789012:table/*', '*/x'].every(
        wildcardDataArn,
      ),
    ).toBe(true);
  });
});

describe('GIVEN a service principal without a source condition (PRODE-CONFUSED-DEPUTY)', () => {
  it('WHEN the task role trusts ecs-tasks from any account THEN only PRODE-CONFUSED-DEPUTY fires', () => {
    const change = (json: Json) =>
      trusts(json, byService('ecs-tasks.amazonaws.com'), (s) => {
        delete s.Condition;
      });
    expect(firingAfter(service, change)).toEqual(['PRODE-CONFUSED-DEPUTY']);
  });

  it('WHEN an SNS topic policy lets EventBridge publish for any account THEN only PRODE-CONFUSED-DEPUTY fires', () => {
    const change = (json: Json) => {
      json.resource.aws_sns_topic_policy = {
        events: {
          arn: 'arn:aws:sns:us-west-2:123456789012:prod-e-alarms',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'EventsPublish',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: 'arn:aws:sns:us-west-2:123456789012:prod-e-alarms',
              },
            ],
          }),
        },
      };
    };
    expect(firingAfter(service, change)).toEqual(['PRODE-CONFUSED-DEPUTY']);
  });

  it('WHEN the key policy lets CloudWatch alarms use the key for any account THEN only PRODE-CONFUSED-DEPUTY fires', () => {
    const change = (json: Json) =>
      editStatements(
        json,
        ['aws_kms_key'],
        'policy',
        byService('cloudwatch.amazonaws.com'),
        (s) => {
          delete s.Condition;
        },
      );
    expect(firingAfter(service, change)).toEqual(['PRODE-CONFUSED-DEPUTY']);
  });
});
