import { loadApiConfig, PROCESS_METRICS, ROUTE_METRICS, SERVICE_ROUTES } from '@prod-e/api-config';
import { REQUEST_ID_PLACEHOLDER, resourceNames, SAVED_QUERY_IDS } from '@prod-e/deployment';

import { routeSlug } from '../constructs/alarms';
import type { TerraformJson } from '../policy';
import { all, containerOf, only, type Synthesized, synthesize } from '../testing/synth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resource = Record<string, any>;

let prod: Synthesized;
beforeAll(() => {
  prod = synthesize();
});

const names = resourceNames('prod');
const published = new Set(
  [...Object.values(ROUTE_METRICS), ...Object.values(PROCESS_METRICS)].map((m) => m.name),
);

const alarm = (json: TerraformJson, id: string): Resource => {
  const found = all(json, 'aws_cloudwatch_metric_alarm').find(
    (a) => a.alarm_name === `${names.service}-${id}`,
  );
  if (!found) throw new Error(`no alarm ${id}`);
  return found;
};

/** Every metric an alarm reads: its own, or each of its metric-math queries'. */
const metricsOf = (
  a: Resource,
): { namespace: string; metric_name: string; dimensions?: object }[] =>
  a.metric_name
    ? [a as never]
    : (a.metric_query as Resource[]).filter((q) => q.metric).map((q) => q.metric);

/** `${aws_cloudwatch_log_group.<id>.name}` → that log group's name. */
function logGroupName(json: TerraformJson, reference: string): string {
  const id = /^\$\{aws_cloudwatch_log_group\.([\w-]+)\.name\}$/.exec(reference)?.[1];
  const group = id && json.resource?.aws_cloudwatch_log_group?.[id];
  if (!group) throw new Error(`${reference} is not a log group of the stack`);
  return group.name;
}

function environmentOf(json: TerraformJson): Record<string, string> {
  const env = containerOf(json).environment as { name: string; value: string }[];
  return Object.fromEntries(env.map(({ name, value }) => [name, value]));
}

describe('GIVEN the API publishes its own metrics as EMF lines', () => {
  it('THEN the task turns EMF on, in the namespace the alarms read', () => {
    const env = environmentOf(prod.json);
    expect(env).toMatchObject({
      METRICS_EMF: 'true',
      METRICS_EMF_NAMESPACE: names.metricsNamespace,
    });
    const own = all(prod.json, 'aws_cloudwatch_metric_alarm')
      .flatMap(metricsOf)
      .filter((m) => !m.namespace.startsWith('AWS/'));
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((m) => m.namespace))).toEqual(new Set([env.METRICS_EMF_NAMESPACE]));
    expect(own.every((m) => published.has(m.metric_name))).toBe(true);
  });

  it('THEN the API would read that namespace from the task environment', () => {
    const env = environmentOf(prod.json);
    const config = loadApiConfig({ ...env, DB_HOST: 'db', API_TOKENS: 'x'.repeat(32) });
    expect(config.emf).toMatchObject({ enabled: true, namespace: names.metricsNamespace });
  });

  it('THEN the EMF lines go to the log group the saved queries read, so the metrics exist there', () => {
    const options = containerOf(prod.json).logConfiguration.options;
    const containerGroup = logGroupName(prod.json, options['awslogs-group']);
    expect(containerGroup).toBe(names.logGroup);
    for (const query of all(prod.json, 'aws_cloudwatch_query_definition')) {
      expect(query.log_group_names.map((g: string) => logGroupName(prod.json, g))).toEqual([
        containerGroup,
      ]);
    }
  });

  it('THEN another environment publishes, alarms and graphs in its own namespace', () => {
    const staging = synthesize({ environment: 'staging' });
    const namespace = resourceNames('staging').metricsNamespace;
    expect(namespace).toBe('ProdE/staging');
    expect(environmentOf(staging.json).METRICS_EMF_NAMESPACE).toBe(namespace);
    const own = all(staging.json, 'aws_cloudwatch_metric_alarm')
      .flatMap(metricsOf)
      .filter((m) => !m.namespace.startsWith('AWS/'));
    expect(new Set(own.map((m) => m.namespace))).toEqual(new Set([namespace]));
  });
});

describe('GIVEN the alarms on the service’s own signals', () => {
  it('THEN the database probe failing in 3 minutes running pages', () => {
    expect(alarm(prod.json, 'database-probe-failing')).toMatchObject({
      namespace: names.metricsNamespace,
      metric_name: PROCESS_METRICS.databaseProbeFailures.name,
      statistic: 'Sum',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      evaluation_periods: 3,
    });
  });

  it('THEN any request-log drop pages at once, and writer lag over 30 s for 3 minutes', () => {
    expect(alarm(prod.json, 'request-log-drops')).toMatchObject({
      metric_name: PROCESS_METRICS.requestLogDropped.name,
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 1,
    });
    expect(alarm(prod.json, 'request-log-writer-lag')).toMatchObject({
      metric_name: PROCESS_METRICS.requestLogWriterLag.name,
      statistic: 'Maximum',
      threshold: 30,
    });
  });

  it.each(SERVICE_ROUTES)('THEN %s has a p99 latency alarm and a 5xx share alarm', (route) => {
    expect(alarm(prod.json, `p99-${routeSlug(route)}`)).toMatchObject({
      metric_name: ROUTE_METRICS.latency.name,
      dimensions: { Route: route },
      extended_statistic: 'p99',
      threshold: 1000, // ms: the same 1 s as the ALB's p99 alarm
    });
    const rate = alarm(prod.json, `5xx-rate-${routeSlug(route)}`);
    const byId = Object.fromEntries((rate.metric_query as Resource[]).map((q) => [q.id, q]));
    expect(byId.errors.metric.dimensions).toEqual({ Route: route, StatusClass: '5xx' });
    expect(byId.requests.metric.dimensions).toEqual({ Route: route });
    expect(byId.rate).toMatchObject({ return_data: true });
    expect(byId.rate.expression).toContain('100 * FILL(errors, 0) / requests');
    expect(rate).toMatchObject({ threshold: 5, comparison_operator: 'GreaterThanThreshold' });
  });

  it('THEN a deployment rolls back on the API’s own 5xx count too', () => {
    const service = only(prod.json, 'aws_ecs_service');
    const serviceErrors = alarm(prod.json, 'service-5xx');
    expect(service.alarms.alarm_names).toContain(
      `\${aws_cloudwatch_metric_alarm.${
        Object.entries(prod.json.resource!.aws_cloudwatch_metric_alarm).find(
          ([, a]) => a === serviceErrors,
        )![0]
      }.alarm_name}`,
    );
    expect(serviceErrors).toMatchObject({
      namespace: names.metricsNamespace,
      metric_name: ROUTE_METRICS.requests.name,
      dimensions: { StatusClass: '5xx' },
      statistic: 'Sum',
    });
  });

  it('THEN every alarm reports to the alarm topic and treats no data as no outage', () => {
    for (const a of all(prod.json, 'aws_cloudwatch_metric_alarm')) {
      expect(a.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\./)]);
      expect(a.treat_missing_data).toBe('notBreaching');
    }
  });
});

describe('GIVEN the dashboard', () => {
  const widgets = () =>
    JSON.parse(only(prod.json, 'aws_cloudwatch_dashboard').dashboard_body).widgets as Resource[];

  it('THEN a service row of four panels sits below the AWS panels, side by side', () => {
    const service = widgets().filter((w) => w.properties.title.startsWith('Service:'));
    const others = widgets().filter((w) => !w.properties.title.startsWith('Service:'));
    expect(service.map((w) => w.properties.title)).toEqual([
      'Service: requests by status class',
      'Service: p99 latency per route (ms)',
      'Service: health and database pool',
      'Service: request log',
    ]);
    const lowest = Math.max(...others.map((w) => w.y + w.height));
    expect(service.map((w) => [w.x, w.y, w.width])).toEqual([
      [0, lowest, 6],
      [6, lowest, 6],
      [12, lowest, 6],
      [18, lowest, 6],
    ]);
  });

  it('THEN the service panels graph only metrics the API publishes, in its namespace', () => {
    const lines = widgets()
      .filter((w) => w.properties.title.startsWith('Service:'))
      .flatMap((w) => w.properties.metrics as unknown[][]);
    expect(lines.every((line) => line[0] === names.metricsNamespace)).toBe(true);
    expect(lines.every((line) => published.has(String(line[1])))).toBe(true);
    const latency = lines.filter((line) => line[1] === ROUTE_METRICS.latency.name);
    expect(latency.map((line) => line[3])).toEqual([...SERVICE_ROUTES]);
  });
});

describe('GIVEN the saved Logs Insights queries', () => {
  const queries = () => all(prod.json, 'aws_cloudwatch_query_definition');
  const text = (id: (typeof SAVED_QUERY_IDS)[number]) =>
    queries().find((q) => q.name === names.savedQueries[id])!.query_string as string;

  it('THEN there is one per runbook symptom, named by resourceNames()', () => {
    expect(
      queries()
        .map((q) => q.name)
        .sort(),
    ).toEqual(SAVED_QUERY_IDS.map((id) => names.savedQueries[id]).sort());
  });

  it('THEN each reads the fields the API logs', () => {
    expect(text('errors-by-route')).toContain('filter res.statusCode >= 500');
    expect(text('errors-by-route')).toContain('stats count(*) as errors by req.method, path');
    expect(text('slow-requests')).toContain('filter responseTime >= 1000');
    expect(text('crash-reasons')).toMatch(
      /level >= 50 or @message like \/.*Invalid API environment/,
    );
    expect(text('database-disconnected')).toContain(
      `filter ${PROCESS_METRICS.databaseProbeFailures.name} > 0`,
    );
    expect(text('database-disconnected')).toContain('database not reachable');
    expect(text('request-story')).toContain(`filter reqId = "${REQUEST_ID_PLACEHOLDER}"`);
  });
});
