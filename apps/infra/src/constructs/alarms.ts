import {
  PROCESS_METRICS,
  ROUTE_METRICS,
  SERVICE_METRIC_DIMENSIONS,
  SERVICE_ROUTES,
} from '@prod-e/api-config';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';

/** What every alarm of the stack shares: where it reports, and the AWS resources it watches. */
export interface AlarmTargets {
  /** Prefix of every alarm name (the service name). */
  readonly alarmPrefix: string;
  readonly topicArn: string;
  readonly loadBalancerArnSuffix: string;
  /** Both blue/green target groups when there are two: each target-group alarm watches both. */
  readonly targetGroupArnSuffixes: readonly string[];
  readonly clusterName: string;
  readonly serviceName: string;
  readonly databaseIdentifier: string;
  /** Where the API's EMF lines put its own metrics (resourceNames().metricsNamespace). */
  readonly metricsNamespace: string;
}

export interface AlarmThresholds {
  /** p99 response time that counts as slow, seconds. */
  readonly latencySeconds: number;
  /** 5xx responses per minute that count as failing. */
  readonly errorsPerMinute: number;
  /** Share of a route's requests answered 5xx that counts as failing, percent. */
  readonly routeErrorPercent: number;
  /** RDS connections that count as exhausted. */
  readonly databaseConnections: number;
  /** Free storage below this many bytes pages someone. */
  readonly databaseFreeStorageBytes: number;
  /** Age of the oldest unwritten request-log entry that counts as stuck, seconds. */
  readonly writerLagSeconds: number;
}

export interface AlarmSpec {
  readonly description: string;
  readonly threshold: number;
  readonly comparisonOperator: string;
  /** One metric (namespace, name, dimensions, statistic) or a metric-math query. */
  readonly metric: SingleMetric | { readonly queries: CloudwatchMetricAlarmMetricQuery[] };
  /** @default 3 one-minute periods */
  readonly evaluationPeriods?: number;
}

export interface SingleMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** `Sum`, `Maximum`, … or a percentile such as `p99`. */
  readonly stat: string;
  /** Seconds. @default 60 */
  readonly period?: number;
}

const isPercentile = (stat: string) => /^p\d/.test(stat);

/** One CloudWatch alarm to the topic; missing data (no traffic) is not an outage. */
export function metricAlarm(
  scope: Construct,
  targets: AlarmTargets,
  id: string,
  spec: AlarmSpec,
): CloudwatchMetricAlarm {
  const periods = spec.evaluationPeriods ?? 3;
  const metric =
    'queries' in spec.metric
      ? { metricQuery: spec.metric.queries }
      : {
          namespace: spec.metric.namespace,
          metricName: spec.metric.metricName,
          dimensions: spec.metric.dimensions,
          ...(isPercentile(spec.metric.stat)
            ? { extendedStatistic: spec.metric.stat }
            : { statistic: spec.metric.stat }),
          period: spec.metric.period ?? 60,
        };
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: `${targets.alarmPrefix}-${id}`,
    alarmDescription: spec.description,
    ...metric,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator,
    // No traffic is not an outage; the unhealthy-host alarm covers "no healthy targets".
    treatMissingData: 'notBreaching',
    alarmActions: [targets.topicArn],
    okActions: [targets.topicArn],
  });
}

/**
 * A target-group metric over every target group, combined per datapoint, so the alarm follows
 * the traffic whichever blue/green group carries it. One group: the plain metric.
 */
export function acrossTargetGroups(
  targets: AlarmTargets,
  metric: Omit<SingleMetric, 'dimensions'>,
  combine: 'SUM' | 'MAX',
): AlarmSpec['metric'] {
  const lb = { LoadBalancer: targets.loadBalancerArnSuffix };
  const groups = targets.targetGroupArnSuffixes;
  if (groups.length < 2) return { ...metric, dimensions: { ...lb, TargetGroup: groups[0] } };
  const ids = groups.map((_, i) => `group${i}`);
  return {
    queries: [
      ...groups.map((group, i) => ({
        id: ids[i],
        returnData: false,
        metric: {
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: { ...lb, TargetGroup: group },
          stat: metric.stat,
          period: metric.period ?? 60,
        },
      })),
      {
        id: 'combined',
        // FILL: the group without traffic has no datapoints, which must not blank the result.
        expression: `${combine}([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`,
        label: `${metric.metricName} over both target groups`,
        returnData: true,
      },
    ],
  };
}

/** `/api/requests/stats` → `api-requests-stats`: a route template as part of an alarm name. */
export const routeSlug = (route: string) =>
  route.replace(/^\/+/, '').replace(/[^a-zA-Z0-9]+/g, '-') || 'root';

const { route: ROUTE, statusClass: STATUS_CLASS } = SERVICE_METRIC_DIMENSIONS;

/** The API's 5xx answers across every route: a deployment alarm next to the ALB's. */
export function serviceErrorsSpec(targets: AlarmTargets, t: AlarmThresholds): AlarmSpec {
  return {
    description: `The API counted ≥ ${t.errorsPerMinute} 5xx answers a minute (its own EMF metric)`,
    threshold: t.errorsPerMinute,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    metric: {
      namespace: targets.metricsNamespace,
      metricName: ROUTE_METRICS.requests.name,
      dimensions: { [STATUS_CLASS]: '5xx' },
      stat: 'Sum',
    },
  };
}

/** A route's 5xx share, once it has at least ten requests in the minute (one failure is not 100 %). */
function routeErrorRate(targets: AlarmTargets, route: string, t: AlarmThresholds): AlarmSpec {
  const requests = (id: string, dimensions: Record<string, string>) => ({
    id,
    returnData: false,
    metric: {
      namespace: targets.metricsNamespace,
      metricName: ROUTE_METRICS.requests.name,
      dimensions,
      stat: 'Sum',
      period: 60,
    },
  });
  return {
    description: `More than ${t.routeErrorPercent} % of ${route} requests answered 5xx for 3 minutes`,
    threshold: t.routeErrorPercent,
    comparisonOperator: 'GreaterThanThreshold',
    metric: {
      queries: [
        requests('errors', { [ROUTE]: route, [STATUS_CLASS]: '5xx' }),
        requests('requests', { [ROUTE]: route }),
        {
          id: 'rate',
          expression: 'IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)',
          label: `${route} 5xx %`,
          returnData: true,
        },
      ],
    },
  };
}

/**
 * Alarms on the API's own signals (EMF metrics in its namespace): the database probe failing,
 * request-log drops and writer lag, and p99 latency and 5xx share per route.
 */
export function serviceSignalSpecs(
  targets: AlarmTargets,
  t: AlarmThresholds,
): Record<string, AlarmSpec> {
  const own = (metricName: string, stat: string) => ({
    namespace: targets.metricsNamespace,
    metricName,
    dimensions: {},
    stat,
  });
  const specs: Record<string, AlarmSpec> = {
    'database-probe-failing': {
      description: 'The database probe (GET /health) failed in each of 3 minutes',
      metric: own(PROCESS_METRICS.databaseProbeFailures.name, 'Sum'),
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    'request-log-drops': {
      description: 'Request log entries were dropped (buffer full, rejected rows, or shutdown)',
      metric: own(PROCESS_METRICS.requestLogDropped.name, 'Sum'),
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    },
    'request-log-writer-lag': {
      description: `A request log entry waited over ${t.writerLagSeconds} s to be written, 3 minutes running`,
      metric: own(PROCESS_METRICS.requestLogWriterLag.name, 'Maximum'),
      threshold: t.writerLagSeconds,
      comparisonOperator: 'GreaterThanThreshold',
    },
  };
  for (const route of SERVICE_ROUTES) {
    specs[`p99-${routeSlug(route)}`] = {
      description: `p99 latency of ${route} above ${t.latencySeconds} s for 3 minutes (API-measured)`,
      metric: {
        namespace: targets.metricsNamespace,
        metricName: ROUTE_METRICS.latency.name,
        dimensions: { [ROUTE]: route },
        stat: 'p99',
      },
      threshold: t.latencySeconds * 1000,
      comparisonOperator: 'GreaterThanThreshold',
    };
    specs[`5xx-rate-${routeSlug(route)}`] = routeErrorRate(targets, route, t);
  }
  return specs;
}

/**
 * The alarms that roll a deployment back: the ALB's own 5xx, the targets' 5xx, unhealthy hosts,
 * p99 target response time, and the API's own 5xx count.
 */
export function deploymentSpecs(
  targets: AlarmTargets,
  t: AlarmThresholds,
): Record<string, AlarmSpec> {
  const alb = 'AWS/ApplicationELB';
  const errors = t.errorsPerMinute;
  return {
    'alb-5xx': {
      description: `The ALB itself answered ≥ ${errors} 5xx a minute (no healthy target, 502/504)`,
      metric: {
        namespace: alb,
        metricName: 'HTTPCode_ELB_5XX_Count',
        dimensions: { LoadBalancer: targets.loadBalancerArnSuffix },
        stat: 'Sum',
      },
      threshold: errors,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    'target-5xx': {
      description: `The API answered ≥ ${errors} 5xx a minute`,
      metric: acrossTargetGroups(
        targets,
        { namespace: alb, metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
        'SUM',
      ),
      threshold: errors,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    'unhealthy-hosts': {
      description: 'A target failed the ALB health check for 3 minutes',
      metric: acrossTargetGroups(
        targets,
        { namespace: alb, metricName: 'UnHealthyHostCount', stat: 'Maximum' },
        'MAX',
      ),
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    'p99-latency': {
      description: `p99 response time above ${t.latencySeconds} s`,
      metric: acrossTargetGroups(
        targets,
        { namespace: alb, metricName: 'TargetResponseTime', stat: 'p99' },
        'MAX',
      ),
      threshold: t.latencySeconds,
      comparisonOperator: 'GreaterThanThreshold',
    },
    'service-5xx': serviceErrorsSpec(targets, t),
  };
}

/** AWS-metric alarms that page people: task CPU and memory, database CPU, storage, connections. */
export function resourceSpecs(
  targets: AlarmTargets,
  t: AlarmThresholds,
): Record<string, AlarmSpec> {
  const ecs = { ClusterName: targets.clusterName, ServiceName: targets.serviceName };
  const db = { DBInstanceIdentifier: targets.databaseIdentifier };
  const over = (threshold: number, description: string, metric: SingleMetric): AlarmSpec => ({
    description,
    metric,
    threshold,
    comparisonOperator: 'GreaterThanThreshold',
    evaluationPeriods: 5,
  });
  return {
    'cpu-high': over(
      85,
      'Tasks average above 85 % CPU for 5 minutes (autoscaling is not keeping up)',
      {
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: ecs,
        stat: 'Average',
      },
    ),
    'memory-high': over(
      85,
      'Tasks average above 85 % memory for 5 minutes (leak or undersized task)',
      {
        namespace: 'AWS/ECS',
        metricName: 'MemoryUtilization',
        dimensions: ecs,
        stat: 'Average',
      },
    ),
    'database-cpu-high': over(80, 'Database above 80 % CPU for 5 minutes', {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      dimensions: db,
      stat: 'Average',
    }),
    'database-storage-low': {
      description: 'Database free storage below the floor',
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'FreeStorageSpace',
        dimensions: db,
        stat: 'Minimum',
        period: 300,
      },
      threshold: t.databaseFreeStorageBytes,
      comparisonOperator: 'LessThanThreshold',
      evaluationPeriods: 1,
    },
    'database-connections-high': over(
      t.databaseConnections,
      'Database connections near the limit (pool sizing × task count)',
      { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: db, stat: 'Maximum' },
    ),
  };
}
