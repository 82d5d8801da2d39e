import { type ResourceNames } from '@prod-e/deployment';

import { type AwsClients } from './aws';
import { listTaggedResources } from './inventory';
import { allPages } from './paginate';

export interface AlarmSummary {
  name: string;
  state: string;
  reason: string | null;
  updatedAt: string | null;
}

/** DescribeAlarms takes at most 100 names per call. */
const ALARM_NAMES_PER_CALL = 100;

/**
 * The environment's alarms: those tagged Project/Environment (found with the Tagging API, so
 * another environment's alarms never leak in), then their states from DescribeAlarms, 100 names
 * a call, every page of each.
 */
export async function readAlarms(aws: AwsClients, names: ResourceNames): Promise<AlarmSummary[]> {
  const alarmNames = (
    await listTaggedResources(aws.tagging, names.environment, ['cloudwatch:alarm'])
  ).map((alarm) => alarm.name);

  const alarms: AlarmSummary[] = [];
  for (let i = 0; i < alarmNames.length; i += ALARM_NAMES_PER_CALL) {
    const pages = await allPages(
      (NextToken) =>
        aws.cloudwatch.describeAlarms({
          AlarmNames: alarmNames.slice(i, i + ALARM_NAMES_PER_CALL),
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          NextToken,
        }),
      (page) => page.NextToken,
    );
    for (const page of pages) {
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        alarms.push({
          name: alarm.AlarmName ?? '(unnamed)',
          state: alarm.StateValue ?? 'UNKNOWN',
          reason: alarm.StateReason ?? null,
          updatedAt: alarm.StateUpdatedTimestamp?.toISOString() ?? null,
        });
      }
    }
  }
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}
