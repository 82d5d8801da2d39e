import type { SavedQueryId } from '@prod-e/deployment';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

import {
  type AlarmSpec,
  type AlarmTargets,
  type AlarmThresholds,
  deploymentSpecs,
  metricAlarm,
  resourceSpecs,
  serviceSignalSpecs,
} from './alarms';
import { dashboardBody } from './dashboard';
import { QueryDefinitions } from './query-definitions';

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
  /** The namespace the API's EMF lines publish to (the task's METRICS_EMF_NAMESPACE). */
  readonly metricsNamespace: string;
  /** The container log group: the saved queries read it, and the EMF lines arrive in it. */
  readonly logGroupName: string;
  /** Saved Logs Insights query names by id (resourceNames().savedQueries). */
  readonly savedQueryNames: Readonly<Record<SavedQueryId, string>>;
  /** p99 response time that counts as slow, seconds (ALB and per route). @default 1 */
  readonly latencyThresholdSeconds?: number;
  /** 5xx responses per minute that count as failing. @default 10 */
  readonly errorsPerMinute?: number;
  /** Share of one route's requests answered 5xx that counts as failing, percent. @default 5 */
  readonly routeErrorPercent?: number;
  /** Age of the oldest unwritten request-log entry that counts as stuck, seconds. @default 30 */
  readonly writerLagSeconds?: number;
  /** RDS connections that count as exhausted (pool max × tasks + headroom). @default 80 */
  readonly databaseConnectionsThreshold?: number;
  /** Free storage below this many bytes pages someone. @default 2 GiB */
  readonly databaseFreeStorageBytes?: number;
}

function thresholds(props: MonitoringProps): AlarmThresholds {
  return {
    latencySeconds: props.latencyThresholdSeconds ?? 1,
    errorsPerMinute: props.errorsPerMinute ?? 10,
    routeErrorPercent: props.routeErrorPercent ?? 5,
    databaseConnections: props.databaseConnectionsThreshold ?? 80,
    databaseFreeStorageBytes: props.databaseFreeStorageBytes ?? 2 * 1024 ** 3,
    writerLagSeconds: props.writerLagSeconds ?? 30,
  };
}

/**
 * Alarms to an encrypted SNS topic, a dashboard and saved Logs Insights queries. Five alarms
 * watch deployments (the service rolls back when one fires): ALB 5xx, target 5xx, unhealthy
 * hosts, p99 latency and the API's own 5xx count. The rest page people: the API's own signals
 * (database probe, request log, p99 and 5xx share per route), task CPU and memory, database CPU,
 * free storage and connections.
 */
export class Monitoring extends Construct {
  public readonly topic: SnsTopic;
  public readonly deploymentAlarms: CloudwatchMetricAlarm[];
  /** The alarms on the API's own EMF metrics. */
  public readonly serviceAlarms: CloudwatchMetricAlarm[];
  public readonly alarms: CloudwatchMetricAlarm[];
  public readonly dashboard: CloudwatchDashboard;
  public readonly queries: QueryDefinitions;

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
    const targets: AlarmTargets = {
      alarmPrefix: props.alarmPrefix,
      topicArn: this.topic.arn,
      loadBalancerArnSuffix: props.loadBalancerArnSuffix,
      targetGroupArnSuffixes: [
        props.targetGroupArnSuffix,
        props.alternateTargetGroupArnSuffix,
      ].filter((group): group is string => group !== undefined),
      clusterName: props.clusterName,
      serviceName: props.serviceName,
      databaseIdentifier: props.databaseIdentifier,
      metricsNamespace: props.metricsNamespace,
    };
    const t = thresholds(props);
    const create = (specs: Record<string, AlarmSpec>) =>
      Object.entries(specs).map(([alarmId, spec]) => metricAlarm(this, targets, alarmId, spec));
    this.deploymentAlarms = create(deploymentSpecs(targets, t));
    this.serviceAlarms = create(serviceSignalSpecs(targets, t));
    this.alarms = [
      ...this.deploymentAlarms,
      ...this.serviceAlarms,
      ...create(resourceSpecs(targets, t)),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: dashboardBody(props.region, targets),
    });
    this.queries = new QueryDefinitions(this, 'queries', {
      names: props.savedQueryNames,
      logGroupName: props.logGroupName,
      latencyThresholdMs: t.latencySeconds * 1000,
    });
  }
}
