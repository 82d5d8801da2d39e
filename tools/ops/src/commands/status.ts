import { Command } from 'commander';
import { z } from 'zod';

import { type AlarmSummary, readAlarms } from '../lib/alarms';
import { type AwsClients } from '../lib/aws';
import { ExitCode, OpsError } from '../lib/errors';
import { type Assessment, assessService } from '../lib/health-assessment';
import { probeHealth, type ProbeResult } from '../lib/health-probe';
import { type Runtime } from '../lib/runtime';
import {
  listServiceTasks,
  type OnUnavailable,
  optionalLookup,
  readServiceSnapshot,
  type ServiceSnapshot,
  summarizeTask,
  type TaskSummary,
} from '../lib/service-state';
import { parseOptions, resolveTarget, type Target, targetOptionsSchema } from '../lib/settings';
import { renderTable } from '../lib/table';
import {
  type CommandFactory,
  httpUrl,
  printJson,
  readCaFile,
  serviceUrl,
  withTargetOptions,
} from './common';

const optionsSchema = targetOptionsSchema.extend({
  json: z.boolean().default(false),
  events: z.coerce.number().int().min(0).max(100).default(10),
  url: httpUrl.optional(),
  ca: z.string().min(1).optional(),
});

type StatusOptions = z.output<typeof optionsSchema>;

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
  /** `GET <url>/health`, or null when no URL could be found. */
  health: ProbeResult | null;
  /** Optional lookups that failed; the rest of the report stands. */
  unavailable: string[];
}

/** Credentials that fail on one call fail on all: those still end the command. */
function tolerate(unavailable: string[]): OnUnavailable {
  return (what, error) => {
    if (error instanceof OpsError && error.code === 'CREDENTIALS') throw error;
    unavailable.push(`${what}: ${error instanceof OpsError ? error.message : String(error)}`);
  };
}

async function probeService(
  runtime: Runtime,
  aws: AwsClients,
  target: Target,
  options: StatusOptions,
  onUnavailable: OnUnavailable,
): Promise<ProbeResult | null> {
  const url = await optionalLookup(
    'service URL',
    () => serviceUrl(runtime, aws, target, options.url),
    null,
    onUnavailable,
  );
  return url ? probeHealth(url, { ca: readCaFile(options.ca) }) : null;
}

export async function runStatus(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const progress = runtime.io.progress(`Reading ${target.names.service} in ${target.region}...`);
  const unavailable: string[] = [];
  const onUnavailable = tolerate(unavailable);
  const [snapshot, tasks, alarms, health] = await Promise.all([
    readServiceSnapshot(aws, target.names, { events: options.events, images: true, onUnavailable }),
    optionalLookup(
      'running tasks',
      () => listServiceTasks(aws.ecs, target.names, 'RUNNING'),
      [],
      onUnavailable,
    ),
    optionalLookup('alarms', () => readAlarms(aws, target.names), [], onUnavailable),
    probeService(runtime, aws, target, options, onUnavailable),
  ]).catch((error: unknown) => {
    progress.fail('Could not read the service.');
    throw error;
  });
  const taskSummaries = tasks.map(summarizeTask);
  const targetsKnown = !unavailable.some((u) => u.startsWith('target health'));
  const assessment = assessService(snapshot, taskSummaries, alarms, targetsKnown);
  if (health?.redirect) {
    // Without --url, an HTTPS stack's ALB only redirects: /health was not seen, not failed.
    assessment.warnings.push(`/health not checked: ${health.problems.join('; ')}`);
  } else if (health && !health.ok) {
    const database = health.database ? ` (database ${health.database})` : '';
    assessment.problems.push(`GET ${health.url}: ${health.problems.join('; ')}${database}`);
    assessment.healthy = false;
  }
  assessment.warnings.push(...unavailable.map((u) => `could not read ${u}`));
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
    health,
    unavailable,
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
  if (report.health) {
    const h = report.health;
    const database = h.database ? `, database ${h.database}` : '';
    out(`  GET ${h.url}: ${h.status ?? 'no answer'} in ${h.latencyMs} ms${database}`);
  }
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
  printAlarmsAndEvents(out, report);
}

function printAlarmsAndEvents(out: (line?: string) => void, report: StatusReport): void {
  out();
  out('Alarms');
  const alarmsUnknown = report.unavailable.some((u) => u.startsWith('alarms'));
  if (!report.alarms.length) {
    out(alarmsUnknown ? '  (could not be read)' : '  (no alarms tagged for this environment)');
  }
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
      .option(
        '--url <url>',
        "the service's URL for /health (default: the applied stack's service_url output, else http:// + an internet-facing ALB's DNS name)",
      )
      .option('--ca <file>', 'PEM CA certificate to trust for an https --url')
      .option('--events <n>', 'how many recent service events to show', '10'),
  ).action(async (opts) => setExitCode(await runStatus(opts, runtime)));
