import { type ResourceNames, resourceTags } from '@prod-e/config';

import { type AwsClients } from './aws';

export interface AlarmSummary {
  name: string;
  state: string;
  reason: string | null;
  updatedAt: string | null;
}

/** `arn:aws:cloudwatch:us-west-2:123:alarm:prod-e-cpu-high` → `prod-e-cpu-high`. */
function alarmNameOf(arn: string): string {
  return arn.split(':alarm:')[1] ?? arn;
}

/**
 * The environment's alarms: those tagged Project/Environment (found with the Tagging API, so
 * another environment's alarms never leak in), then their states from DescribeAlarms.
 */
export async function readAlarms(aws: AwsClients, names: ResourceNames): Promise<AlarmSummary[]> {
  const tags = resourceTags(names.environment);
  const alarmNames: string[] = [];
  let token: string | undefined;
  do {
    const page = await aws.tagging.getResources({
      ResourceTypeFilters: ['cloudwatch:alarm'],
      TagFilters: [
        { Key: 'Project', Values: [tags.Project] },
        { Key: 'Environment', Values: [tags.Environment] },
      ],
      PaginationToken: token,
    });
    alarmNames.push(
      ...(page.ResourceTagMappingList ?? []).flatMap((r) =>
        r.ResourceARN ? [alarmNameOf(r.ResourceARN)] : [],
      ),
    );
    token = page.PaginationToken || undefined;
  } while (token);

  const alarms: AlarmSummary[] = [];
  for (let i = 0; i < alarmNames.length; i += 100) {
    const result = await aws.cloudwatch.describeAlarms({
      AlarmNames: alarmNames.slice(i, i + 100),
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
    for (const alarm of [...(result.MetricAlarms ?? []), ...(result.CompositeAlarms ?? [])]) {
      alarms.push({
        name: alarm.AlarmName ?? '(unnamed)',
        state: alarm.StateValue ?? 'UNKNOWN',
        reason: alarm.StateReason ?? null,
        updatedAt: alarm.StateUpdatedTimestamp?.toISOString() ?? null,
      });
    }
  }
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}
