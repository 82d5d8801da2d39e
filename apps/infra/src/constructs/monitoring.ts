import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly region: string;
  readonly topicName: string;
  readonly dashboardName: string;
  /** Prefix of every alarm name (the service name). */
  readonly alarmPrefix: string;
  /** E-mail subscribed to the alarm topic (confirm the subscription mail). @default none */
  readonly alarmEmail?: string;
  readonly kmsKeyArn: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /**
   * Blue/green's second target group. Production traffic moves between the two on every
   * deployment, so each target-group alarm then watches both. @default none (rolling)
   */
  readonly alternateTargetGroupArnSuffix?: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly databaseIdentifier: string;
  /** p99 target response time that counts as slow, seconds. @default 1 */
  readonly latencyThresholdSeconds?: number;
  /** 5xx responses per minute that count as failing. @default 10 */
  readonly errorsPerMinute?: number;
  /** RDS connections that count as exhausted (pool max × tasks + headroom). @default 80 */
  readonly databaseConnectionsThreshold?: number;
  /** Free storage below this many bytes pages someone. @default 2 GiB */
  readonly databaseFreeStorageBytes?: number;
}

interface AlarmSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly threshold: number;
  readonly comparisonOperator: string;
  /** One of statistic / extendedStatistic. @default none */
  readonly statistic?: string;
  /** A percentile such as `p99`. @default none */
  readonly extendedStatistic?: string;
  readonly description: string;
  /** @default 3 one-minute periods */
  readonly evaluationPeriods?: number;
  /** Seconds. @default 60 */
  readonly period?: number;
  /**
   * How to combine the metric over both blue/green target groups (per datapoint), so the alarm
   * follows the traffic whichever group carries it. @default not a target-group metric
   */
  readonly acrossTargetGroups?: 'SUM' | 'MAX';
}

/**
 * Alarms to an encrypted SNS topic, and a dashboard. Four alarms watch deployments (the service
 * rolls back when one fires): ALB 5xx, target 5xx, unhealthy hosts, p99 latency. The rest page
 * people: task CPU and memory, database CPU, free storage and connections.
 */
export class Monitoring extends Construct {
  public readonly topic: SnsTopic;
  public readonly deploymentAlarms: CloudwatchMetricAlarm[];
  public readonly alarms: CloudwatchMetricAlarm[];
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', {
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    if (props.alarmEmail) {
      new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.alarmEmail,
      });
    }
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const groups = [props.targetGroupArnSuffix, props.alternateTargetGroupArnSuffix].filter(
      (g): g is string => g !== undefined,
    );
    const alarm = (alarmId: string, spec: AlarmSpec) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.alarmPrefix}-${alarmId}`,
        alarmDescription: spec.description,
        ...(spec.acrossTargetGroups && groups.length > 1
          ? { metricQuery: acrossTargetGroups(spec, lb, groups) }
          : {
              namespace: spec.namespace,
              metricName: spec.metricName,
              dimensions: spec.dimensions,
              statistic: spec.statistic,
              extendedStatistic: spec.extendedStatistic,
              period: spec.period ?? 60,
            }),
        evaluationPeriods: spec.evaluationPeriods ?? 3,
        datapointsToAlarm: spec.evaluationPeriods ?? 3,
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator,
        // No traffic is not an outage; the unhealthy-host alarm covers "no healthy targets".
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      });

    const tg = { ...lb, TargetGroup: props.targetGroupArnSuffix };
    const ecs = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const db = { DBInstanceIdentifier: props.databaseIdentifier };
    const errors = props.errorsPerMinute ?? 10;
    this.deploymentAlarms = [
      alarm('alb-5xx', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        dimensions: lb,
        statistic: 'Sum',
        threshold: errors,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        description: `The ALB itself answered ≥ ${errors} 5xx a minute (no healthy target, 502/504)`,
      }),
      alarm('target-5xx', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: tg,
        statistic: 'Sum',
        acrossTargetGroups: 'SUM',
        threshold: errors,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        description: `The API answered ≥ ${errors} 5xx a minute`,
      }),
      alarm('unhealthy-hosts', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: tg,
        statistic: 'Maximum',
        acrossTargetGroups: 'MAX',
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        description: 'A target failed the ALB health check for 3 minutes',
      }),
      alarm('p99-latency', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: tg,
        extendedStatistic: 'p99',
        acrossTargetGroups: 'MAX',
        threshold: props.latencyThresholdSeconds ?? 1,
        comparisonOperator: 'GreaterThanThreshold',
        description: `p99 response time above ${props.latencyThresholdSeconds ?? 1} s`,
      }),
    ];
    this.alarms = [
      ...this.deploymentAlarms,
      alarm('cpu-high', {
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: ecs,
        statistic: 'Average',
        threshold: 85,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        description: 'Tasks average above 85 % CPU for 5 minutes (autoscaling is not keeping up)',
      }),
      alarm('memory-high', {
        namespace: 'AWS/ECS',
        metricName: 'MemoryUtilization',
        dimensions: ecs,
        statistic: 'Average',
        threshold: 85,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        description: 'Tasks average above 85 % memory for 5 minutes (leak or undersized task)',
      }),
      alarm('database-cpu-high', {
        namespace: 'AWS/RDS',
        metricName: 'CPUUtilization',
        dimensions: db,
        statistic: 'Average',
        threshold: 80,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        description: 'Database above 80 % CPU for 5 minutes',
      }),
      alarm('database-storage-low', {
        namespace: 'AWS/RDS',
        metricName: 'FreeStorageSpace',
        dimensions: db,
        statistic: 'Minimum',
        threshold: props.databaseFreeStorageBytes ?? 2 * 1024 ** 3,
        comparisonOperator: 'LessThanThreshold',
        period: 300,
        evaluationPeriods: 1,
        description: 'Database free storage below the floor',
      }),
      alarm('database-connections-high', {
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        dimensions: db,
        statistic: 'Maximum',
        threshold: props.databaseConnectionsThreshold ?? 80,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        description: 'Database connections near the limit (pool sizing × task count)',
      }),
    ];

    const metric = (
      namespace: string,
      name: string,
      dims: Record<string, string>,
      stat: string,
    ) => [namespace, name, ...Object.entries(dims).flat(), { stat }];
    // Two 12-wide columns, six high: the n-th widget's position follows from n.
    const panels: [title: string, metrics: unknown[][]][] = [
      [
        'Requests and errors',
        [
          metric('AWS/ApplicationELB', 'RequestCount', lb, 'Sum'),
          metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', lb, 'Sum'),
          metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', tg, 'Sum'),
        ],
      ],
      [
        'Latency',
        [
          metric('AWS/ApplicationELB', 'TargetResponseTime', tg, 'p50'),
          metric('AWS/ApplicationELB', 'TargetResponseTime', tg, 'p99'),
        ],
      ],
      [
        'Targets',
        [
          metric('AWS/ApplicationELB', 'HealthyHostCount', tg, 'Minimum'),
          metric('AWS/ApplicationELB', 'UnHealthyHostCount', tg, 'Maximum'),
        ],
      ],
      [
        'Tasks: CPU and memory',
        [
          metric('AWS/ECS', 'CPUUtilization', ecs, 'Average'),
          metric('AWS/ECS', 'MemoryUtilization', ecs, 'Average'),
        ],
      ],
      [
        'Database',
        [
          metric('AWS/RDS', 'CPUUtilization', db, 'Average'),
          metric('AWS/RDS', 'DatabaseConnections', db, 'Maximum'),
        ],
      ],
      ['Database free storage', [metric('AWS/RDS', 'FreeStorageSpace', db, 'Minimum')]],
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({
        widgets: panels.map(([title, metrics], i) => ({
          type: 'metric',
          x: (i % 2) * 12,
          y: Math.floor(i / 2) * 6,
          width: 12,
          height: 6,
          properties: {
            title,
            region: props.region,
            view: 'timeSeries',
            stacked: false,
            period: 60,
            metrics,
          },
        })),
      }),
    });
  }
}

/** One query per target group and an expression combining them per datapoint. */
function acrossTargetGroups(
  spec: AlarmSpec,
  lb: { LoadBalancer: string },
  groups: readonly string[],
) {
  const ids = groups.map((_, i) => `group${i}`);
  return [
    ...groups.map((group, i) => ({
      id: ids[i],
      returnData: false,
      metric: {
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: { ...lb, TargetGroup: group },
        stat: spec.statistic ?? spec.extendedStatistic ?? 'Average',
        period: spec.period ?? 60,
      },
    })),
    {
      id: 'combined',
      // FILL: the group without traffic has no datapoints, which must not blank the result.
      expression: `${spec.acrossTargetGroups}([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`,
      label: `${spec.metricName} over both target groups`,
      returnData: true,
    },
  ];
}
