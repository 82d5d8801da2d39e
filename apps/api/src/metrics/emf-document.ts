import {
  PROCESS_METRICS,
  ROUTE_METRICS,
  SERVICE_METRIC_DIMENSIONS,
  type ServiceMetric,
} from '@prod-e/api-config';

import type { IntervalMetrics, ProcessInterval, RouteInterval } from './emf-interval';

/** One CloudWatch Embedded Metric Format directive: these metrics, at these dimension sets. */
export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
}

/** A distribution: each value stands for `Counts[i]` observations, so percentiles work. */
export interface EmfDistribution {
  readonly Values: readonly number[];
  readonly Counts: readonly number[];
}

/** An EMF log event: `_aws` metadata, then every dimension and metric as a root member. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly EmfDirective[];
  };
  readonly [member: string]: unknown;
}

const { route: ROUTE, statusClass: STATUS_CLASS } = SERVICE_METRIC_DIMENSIONS;

const definitions = (metrics: readonly ServiceMetric[]) =>
  metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit }));

function distribution(latencyMs: ReadonlyMap<number, number>): EmfDistribution {
  const entries = [...latencyMs.entries()].sort(([a], [b]) => a - b);
  return { Values: entries.map(([ms]) => ms), Counts: entries.map(([, count]) => count) };
}

/**
 * One route template and status class: Requests per (route, class), per route and per class;
 * Latency per route. CloudWatch adds up the lines of every class (and every task) itself.
 */
export function routeDocument(
  namespace: string,
  timestamp: number,
  interval: RouteInterval,
): EmfDocument {
  const { requests, latency } = ROUTE_METRICS;
  const directives: EmfDirective[] = [
    {
      Namespace: namespace,
      Dimensions: [[ROUTE, STATUS_CLASS], [ROUTE], [STATUS_CLASS]],
      Metrics: definitions([requests]),
    },
  ];
  const document: Record<string, unknown> = {
    [ROUTE]: interval.route,
    [STATUS_CLASS]: interval.statusClass,
    [requests.name]: interval.requests,
  };
  if (interval.latencyMs.size > 0) {
    directives.push({
      Namespace: namespace,
      Dimensions: [[ROUTE]],
      Metrics: definitions([latency]),
    });
    document[latency.name] = distribution(interval.latencyMs);
  }
  return { _aws: { Timestamp: timestamp, CloudWatchMetrics: directives }, ...document };
}

/** The whole-process signals, without dimensions (`[[]]`): one series per metric. */
export function processDocument(
  namespace: string,
  timestamp: number,
  values: ProcessInterval,
): EmfDocument {
  const keys = Object.keys(PROCESS_METRICS) as (keyof typeof PROCESS_METRICS)[];
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[]],
          Metrics: definitions(keys.map((key) => PROCESS_METRICS[key])),
        },
      ],
    },
    ...Object.fromEntries(keys.map((key) => [PROCESS_METRICS[key].name, values[key]])),
  };
}

/** Every line of one interval: one per route and class that saw requests, one for the process. */
export function intervalDocuments(
  namespace: string,
  timestamp: number,
  interval: IntervalMetrics,
): EmfDocument[] {
  return [
    ...interval.routes.map((route) => routeDocument(namespace, timestamp, route)),
    processDocument(namespace, timestamp, interval.process),
  ];
}
