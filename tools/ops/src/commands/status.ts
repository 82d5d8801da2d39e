import { Command } from 'commander';
import { z } from 'zod';

import { type AlarmSummary, readAlarms } from '../lib/alarms';
import { ExitCode } from '../lib/errors';
import { type Assessment, assessService } from '../lib/health-assessment';
import { type Runtime } from '../lib/runtime';
import {
  listServiceTasks,
  readServiceSnapshot,
  type ServiceSnapshot,
  summarizeTask,
  type TaskSummary,
} from '../lib/service-state';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { renderTable } from '../lib/table';
import { type CommandFactory, printJson, withTargetOptions } from './common';

const optionsSchema = targetOptionsSchema.extend({
  json: z.boolean().default(false),
  events: z.coerce.number().int().min(0).max(100).default(10),
});

/** `status --json`: a stable document (schemaVersion bumps on breaking changes). */
export interface StatusReport {
  schemaVersion: 1;
  environment: string;
  region: string;
  checkedAt: string;
  verdict: 'healthy' | 'degraded';
  problems: string[];
  warnings: string[];
  cluster: string;
  service: {
    name: string;
    status: string;
    desired: number;
    running: number;
    pending: number;
    taskDefinition: string;
  };
  deployments: ServiceSnapshot['deployments'];
  tasks: TaskSummary[];
  targets: ServiceSnapshot['targets'];
  events: ServiceSnapshot['events'];
  alarms: AlarmSummary[];
}

export async function runStatus(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const progress = runtime.io.progress(`Reading ${target.names.service} in ${target.region}...`);
  const [snapshot, tasks, alarms] = await Promise.all([
    readServiceSnapshot(aws, target.names, { events: options.events, images: true }),
    listServiceTasks(aws.ecs, target.names, 'RUNNING'),
    readAlarms(aws, target.names),
  ]).catch((error: unknown) => {
    progress.fail('Could not read the service.');
    throw error;
  });
  const taskSummaries = tasks.map(summarizeTask);
  const assessment = assessService(snapshot, taskSummaries, alarms);
  const report: StatusReport = {
    schemaVersion: 1,
    environment: target.environment,
    region: target.region,
    checkedAt: new Date(runtime.clock.now()).toISOString(),
    verdict: assessment.healthy ? 'healthy' : 'degraded',
    problems: assessment.problems,
    warnings: assessment.warnings,
    cluster: snapshot.cluster,
    service: {
      name: snapshot.service,
      status: snapshot.serviceStatus,
      desired: snapshot.desired,
      running: snapshot.running,
      pending: snapshot.pending,
      taskDefinition: snapshot.taskDefinition,
    },
    deployments: snapshot.deployments,
    tasks: taskSummaries,
    targets: snapshot.targets,
    events: snapshot.events,
    alarms,
  };
  if (assessment.healthy) progress.succeed(`${snapshot.service} is healthy.`);
  else progress.fail(`${snapshot.service} is degraded.`);
  if (options.json) printJson(runtime, report);
  else printStatus(runtime, report, assessment);
  return assessment.healthy ? ExitCode.OK : ExitCode.FAILED;
}

function printStatus(runtime: Runtime, report: StatusReport, assessment: Assessment): void {
  const out = (line = '') => runtime.io.out(line);
  out(
    `${report.service.name} in ${report.cluster} (${report.environment}, ${report.region}): ${report.verdict.toUpperCase()}`,
  );
  out(
    `  ${report.service.status}, ${report.service.running}/${report.service.desired} running, ${report.service.pending} pending`,
  );
  for (const p of assessment.problems) out(`  ✗ ${p}`);
  for (const w of assessment.warnings) out(`  ! ${w}`);
  out();
  out('Deployments');
  renderTable(
    [
      'status',
      'rollout',
      'revision',
      'image tag',
      'running',
      'pending',
      'desired',
      'failed',
      'updated',
    ],
    report.deployments.map((d) => [
      d.status,
      d.rolloutState ?? '-',
      String(d.revision ?? '?'),
      d.imageTag ?? '?',
      String(d.running),
      String(d.pending),
      String(d.desired),
      String(d.failedTasks),
      d.updatedAt ?? '',
    ]),
  ).forEach((l) => out(`  ${l}`));
  for (const d of report.deployments.filter((d) => d.rolloutStateReason)) {
    out(`  ${d.id}: ${d.rolloutStateReason}`);
  }
  out();
  out('Tasks');
  renderTable(
    ['task', 'status', 'health', 'zone', 'revision', 'started'],
    report.tasks.map((t) => [
      t.id,
      t.lastStatus,
      t.healthStatus,
      t.availabilityZone ?? '?',
      String(t.revision ?? '?'),
      t.startedAt ?? '',
    ]),
  ).forEach((l) => out(`  ${l}`));
  out();
  out('Targets');
  renderTable(
    ['target', 'zone', 'state', 'reason'],
    report.targets.map((t) => [
      `${t.id}:${t.port ?? '?'}`,
      t.availabilityZone ?? '?',
      t.state,
      t.reason ? `${t.reason}: ${t.description ?? ''}` : '',
    ]),
  ).forEach((l) => out(`  ${l}`));
  out();
  out('Alarms');
  if (!report.alarms.length) out('  (no alarms tagged for this environment)');
  renderTable(
    ['alarm', 'state', 'since'],
    report.alarms.map((a) => [a.name, a.state, a.updatedAt ?? '']),
  )
    .slice(report.alarms.length ? 0 : 1)
    .forEach((l) => out(`  ${l}`));
  out();
  out('Recent events');
  for (const e of report.events) out(`  ${e.at ?? ''} ${e.message}`);
}

export const statusCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('status')
      .description('Show the service: deployments, tasks, target health, events and alarms')
      .option('--json', 'print the report as JSON (schemaVersion 1)')
      .option('--events <n>', 'how many recent service events to show', '10'),
  ).action(async (opts) => setExitCode(await runStatus(opts, runtime)));
