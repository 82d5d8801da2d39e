/**
 * The CloudWatch Embedded Metric Format specification's rules, as a checker: every problem a
 * line has, empty when CloudWatch Logs would extract its metrics.
 */

const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);
export const MAX_DIMENSIONS_PER_SET = 30;
export const MAX_METRICS_PER_DIRECTIVE = 100;
export const MAX_VALUES_PER_METRIC = 100;
const MAX_EVENT_BYTES = 1024 * 1024;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const onlyKeys = (value: Record<string, unknown>, allowed: string[], where: string) =>
  Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: unknown member ${key}`);

function metricValueProblems(name: string, value: unknown): string[] {
  if (isNumber(value)) return [];
  if (Array.isArray(value)) {
    if (value.length > MAX_VALUES_PER_METRIC) return [`${name}: more than 100 values`];
    return value.every(isNumber) ? [] : [`${name}: values must be numbers`];
  }
  if (isObject(value) && Array.isArray(value.Values) && Array.isArray(value.Counts)) {
    const { Values, Counts } = value;
    const problems: string[] = [];
    if (Values.length !== Counts.length)
      problems.push(`${name}: Values and Counts differ in length`);
    if (Values.length > MAX_VALUES_PER_METRIC) problems.push(`${name}: more than 100 values`);
    if (![...Values, ...Counts].every(isNumber)) problems.push(`${name}: non-numeric entry`);
    if (!Counts.every((count) => (count as number) > 0)) problems.push(`${name}: count ≤ 0`);
    return problems;
  }
  return [`${name}: the root member must be a number, numbers, or {Values, Counts}`];
}

function directiveProblems(directive: unknown, root: Record<string, unknown>, i: number): string[] {
  const where = `CloudWatchMetrics[${i}]`;
  if (!isObject(directive)) return [`${where}: not an object`];
  const problems = onlyKeys(directive, ['Namespace', 'Dimensions', 'Metrics'], where);
  const { Namespace, Dimensions, Metrics } = directive;
  if (typeof Namespace !== 'string' || Namespace.length < 1 || Namespace.length > 255) {
    problems.push(`${where}: Namespace must be a string of 1-255 characters`);
  }
  if (!Array.isArray(Dimensions)) problems.push(`${where}: Dimensions must be an array`);
  for (const set of Array.isArray(Dimensions) ? Dimensions : []) {
    if (!Array.isArray(set)) {
      problems.push(`${where}: a dimension set must be an array`);
      continue;
    }
    if (set.length > MAX_DIMENSIONS_PER_SET) problems.push(`${where}: > 30 dimensions in a set`);
    for (const key of set) {
      if (typeof root[key as string] !== 'string') {
        problems.push(`${where}: dimension ${String(key)} is not a string member of the root`);
      }
    }
  }
  if (!Array.isArray(Metrics)) return [...problems, `${where}: Metrics must be an array`];
  if (Metrics.length > MAX_METRICS_PER_DIRECTIVE) problems.push(`${where}: > 100 metrics`);
  for (const metric of Metrics) {
    if (!isObject(metric) || typeof metric.Name !== 'string') {
      problems.push(`${where}: a metric needs a Name`);
      continue;
    }
    problems.push(...onlyKeys(metric, ['Name', 'Unit', 'StorageResolution'], metric.Name));
    const unit = metric.Unit;
    if (unit !== undefined && !(typeof unit === 'string' && UNITS.has(unit))) {
      problems.push(`${metric.Name}: unknown unit ${JSON.stringify(unit)}`);
    }
    if (!(metric.Name in root)) problems.push(`${metric.Name}: no root member`);
    else problems.push(...metricValueProblems(metric.Name, root[metric.Name]));
  }
  return problems;
}

/** Every way `line` breaks the specification (an empty list: a valid EMF event). */
export function emfProblems(line: string): string[] {
  if (Buffer.byteLength(line) > MAX_EVENT_BYTES) return ['larger than a 1 MB log event'];
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (!isObject(root)) return ['the root is not an object'];
  const aws = root._aws;
  if (!isObject(aws)) return ['no _aws metadata object'];
  const problems = onlyKeys(aws, ['Timestamp', 'CloudWatchMetrics', 'LogGroupName'], '_aws');
  if (!isNumber(aws.Timestamp) || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) {
    problems.push('_aws.Timestamp must be milliseconds since the epoch');
  }
  if (!Array.isArray(aws.CloudWatchMetrics) || aws.CloudWatchMetrics.length === 0) {
    return [...problems, '_aws.CloudWatchMetrics must be a non-empty array'];
  }
  aws.CloudWatchMetrics.forEach((directive, i) =>
    problems.push(...directiveProblems(directive, root, i)),
  );
  return problems;
}
