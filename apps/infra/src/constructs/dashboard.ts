import {
  PROCESS_METRICS,
  ROUTE_METRICS,
  SERVICE_METRIC_DIMENSIONS,
  SERVICE_ROUTES,
} from '@prod-e/api-config';

import type { AlarmTargets } from './alarms';

/** A dashboard metric line: `[namespace, name, dimension, value, …, { stat, label? }]`. */
type MetricLine = unknown[];

export interface Panel {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
}

const line = (
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  stat: string,
  label?: string,
): MetricLine => [
  namespace,
  name,
  ...Object.entries(dimensions).flat(),
  { stat, ...(label ? { label } : {}) },
];

/** The AWS-metric panels: ALB requests, errors, latency and targets, tasks, database. */
export function awsPanels(targets: AlarmTargets): Panel[] {
  const alb = 'AWS/ApplicationELB';
  const lb = { LoadBalancer: targets.loadBalancerArnSuffix };
  const tg = { ...lb, TargetGroup: targets.targetGroupArnSuffixes[0] };
  const ecs = { ClusterName: targets.clusterName, ServiceName: targets.serviceName };
  const db = { DBInstanceIdentifier: targets.databaseIdentifier };
  return [
    {
      title: 'Requests and errors',
      metrics: [
        line(alb, 'RequestCount', lb, 'Sum'),
        line(alb, 'HTTPCode_ELB_5XX_Count', lb, 'Sum'),
        line(alb, 'HTTPCode_Target_5XX_Count', tg, 'Sum'),
      ],
    },
    {
      title: 'Latency',
      metrics: [
        line(alb, 'TargetResponseTime', tg, 'p50'),
        line(alb, 'TargetResponseTime', tg, 'p99'),
      ],
    },
    {
      title: 'Targets',
      metrics: [
        line(alb, 'HealthyHostCount', tg, 'Minimum'),
        line(alb, 'UnHealthyHostCount', tg, 'Maximum'),
      ],
    },
    {
      title: 'Tasks: CPU and memory',
      metrics: [
        line('AWS/ECS', 'CPUUtilization', ecs, 'Average'),
        line('AWS/ECS', 'MemoryUtilization', ecs, 'Average'),
      ],
    },
    {
      title: 'Database',
      metrics: [
        line('AWS/RDS', 'CPUUtilization', db, 'Average'),
        line('AWS/RDS', 'DatabaseConnections', db, 'Maximum'),
      ],
    },
    {
      title: 'Database free storage',
      metrics: [line('AWS/RDS', 'FreeStorageSpace', db, 'Minimum')],
    },
  ];
}

/** The service row: the API's own EMF metrics (requests, latency per route, health, request log). */
export function servicePanels(namespace: string): Panel[] {
  const { route: ROUTE, statusClass: STATUS_CLASS } = SERVICE_METRIC_DIMENSIONS;
  const own = (metric: { name: string }, stat: string, label?: string) =>
    line(namespace, metric.name, {}, stat, label);
  return [
    {
      title: 'Service: requests by status class',
      metrics: ['2xx', '4xx', '5xx'].map((statusClass) =>
        line(
          namespace,
          ROUTE_METRICS.requests.name,
          { [STATUS_CLASS]: statusClass },
          'Sum',
          statusClass,
        ),
      ),
    },
    {
      title: 'Service: p99 latency per route (ms)',
      metrics: SERVICE_ROUTES.map((route) =>
        line(namespace, ROUTE_METRICS.latency.name, { [ROUTE]: route }, 'p99', route),
      ),
    },
    {
      title: 'Service: health and database pool',
      metrics: [
        own(PROCESS_METRICS.healthStatus, 'Minimum', 'health (1 = ok)'),
        own(PROCESS_METRICS.databaseProbeFailures, 'Sum', 'failed probes'),
        own(PROCESS_METRICS.poolInUse, 'Maximum', 'pool in use'),
        own(PROCESS_METRICS.poolWaiting, 'Maximum', 'pool waiting'),
      ],
    },
    {
      title: 'Service: request log',
      metrics: [
        own(PROCESS_METRICS.requestLogBuffered, 'Maximum', 'buffered'),
        own(PROCESS_METRICS.requestLogWritten, 'Sum', 'written'),
        own(PROCESS_METRICS.requestLogDropped, 'Sum', 'dropped'),
        own(PROCESS_METRICS.requestLogWriterLag, 'Maximum', 'writer lag (s)'),
      ],
    },
  ];
}

/**
 * The dashboard body: the AWS panels in two 12-wide columns, six high; below them the service
 * row, four 6-wide panels side by side.
 */
export function dashboardBody(region: string, targets: AlarmTargets): string {
  const widget = (panel: Panel, x: number, y: number, width: number) => ({
    type: 'metric',
    x,
    y,
    width,
    height: 6,
    properties: {
      title: panel.title,
      region,
      view: 'timeSeries',
      stacked: false,
      period: 60,
      metrics: panel.metrics,
    },
  });
  const aws = awsPanels(targets);
  const serviceRowY = Math.ceil(aws.length / 2) * 6;
  return JSON.stringify({
    widgets: [
      ...aws.map((panel, i) => widget(panel, (i % 2) * 12, Math.floor(i / 2) * 6, 12)),
      ...servicePanels(targets.metricsNamespace).map((panel, i) =>
        widget(panel, i * 6, serviceRowY, 6),
      ),
    ],
  });
}
