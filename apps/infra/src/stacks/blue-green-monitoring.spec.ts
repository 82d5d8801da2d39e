import type { TerraformJson } from '../policy';
import { all, type Synthesized, synthesize } from '../testing/synth';

const CERTIFICATE = 'arn:aws:acm:us-west-2:123456789012:certificate/abcd-1234';

/** `${aws_lb_target_group.<id>.arn_suffix}` of each target group, by its name. */
function targetGroupSuffixes(json: TerraformJson): Record<string, string> {
  return Object.fromEntries(
    Object.entries(json.resource!.aws_lb_target_group).map(([id, group]) => [
      group.name as string,
      `\${aws_lb_target_group.${id}.arn_suffix}`,
    ]),
  );
}

/** Every target group a value (an alarm, a scaling policy) names, as arn_suffix references. */
function watchedTargetGroups(value: unknown, suffixes: Record<string, string>): string[] {
  const text = JSON.stringify(value);
  return Object.entries(suffixes)
    .filter(([, suffix]) => text.includes(suffix))
    .map(([name]) => name);
}

describe('GIVEN blue/green deployments', () => {
  let blueGreen: Synthesized;
  beforeAll(() => {
    blueGreen = synthesize({
      blueGreen: true,
      tls: { mode: 'certificate', certificateArn: CERTIFICATE },
    });
  });

  it.each(['ecs-target-group-v2', 'ecs-target-group-v2-g'])(
    'WHEN %s carries the production traffic THEN every alarm and scaling policy naming a target group watches it',
    (live) => {
      const suffixes = targetGroupSuffixes(blueGreen.json);
      expect(Object.keys(suffixes).sort()).toEqual([
        'ecs-target-group-v2',
        'ecs-target-group-v2-g',
      ]);
      const watchers = [
        ...all(blueGreen.json, 'aws_cloudwatch_metric_alarm'),
        ...all(blueGreen.json, 'aws_appautoscaling_policy'),
      ];
      const blind = watchers
        .map((w) => ({ name: w.alarm_name ?? w.name, groups: watchedTargetGroups(w, suffixes) }))
        .filter((w) => w.groups.length > 0 && !w.groups.includes(live))
        .map((w) => w.name);
      expect(blind).toEqual([]);
    },
  );

  it('THEN the target-group deployment alarms combine both groups per datapoint', () => {
    const alarms = all(blueGreen.json, 'aws_cloudwatch_metric_alarm');
    const expressionOf = (suffix: string) =>
      alarms
        .find((a) => String(a.alarm_name).endsWith(suffix))!
        .metric_query.find((q: { return_data: boolean }) => q.return_data).expression;
    expect(expressionOf('-target-5xx')).toBe('SUM([FILL(group0, 0), FILL(group1, 0)])');
    expect(expressionOf('-unhealthy-hosts')).toBe('MAX([FILL(group0, 0), FILL(group1, 0)])');
    expect(expressionOf('-p99-latency')).toBe('MAX([FILL(group0, 0), FILL(group1, 0)])');
  });

  it('THEN the request policy tracks ALB requests over the healthy targets of both groups', () => {
    const policy = all(blueGreen.json, 'aws_appautoscaling_policy').find((p) =>
      String(p.name).endsWith('-requests'),
    )!;
    const config = policy.target_tracking_scaling_policy_configuration;
    expect(config.predefined_metric_specification).toBeUndefined();
    const metrics = config.customized_metric_specification.metrics;
    expect(metrics.find((m: { return_data: boolean }) => m.return_data).expression).toBe(
      'requests / (FILL(healthy0, 0) + FILL(healthy1, 0))',
    );
  });

  it('WHEN rolling THEN the alarms and the request policy keep their single-group metrics', () => {
    const { json } = synthesize();
    const alarm = all(json, 'aws_cloudwatch_metric_alarm').find((a) =>
      String(a.alarm_name).endsWith('-unhealthy-hosts'),
    )!;
    expect(alarm.metric_query).toBeUndefined();
    expect(alarm.dimensions.TargetGroup).toMatch(/arn_suffix/);
    const policy = all(json, 'aws_appautoscaling_policy').find((p) =>
      String(p.name).endsWith('-requests'),
    )!;
    expect(
      policy.target_tracking_scaling_policy_configuration.predefined_metric_specification
        .predefined_metric_type,
    ).toBe('ALBRequestCountPerTarget');
  });
});
