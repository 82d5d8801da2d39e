/** pino's numeric levels. */
const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A CloudWatch log event as ops prints it. */
export interface LogLine {
  timestamp: number;
  stream: string;
  message: string;
  /** CloudWatch's id of the event, when the API gives one: what follow de-duplicates by. */
  eventId?: string;
}

interface PinoRecord {
  level?: number | string;
  time?: number | string;
  msg?: unknown;
  message?: unknown;
  reqId?: unknown;
  req?: { id?: unknown; method?: unknown; url?: unknown };
  res?: { statusCode?: unknown };
  responseTime?: unknown;
  err?: { message?: unknown; type?: unknown };
}

/** A log field as text: scalars as they are, anything else as JSON (never `[object Object]`). */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

function parsePino(message: string): PinoRecord | undefined {
  const text = message.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function levelLabel(level: PinoRecord['level']): string {
  if (typeof level === 'number') return LEVELS[level] ?? String(level);
  return typeof level === 'string' ? level.toUpperCase() : 'INFO';
}

function timeOf(record: PinoRecord, fallback: number): string {
  const time =
    typeof record.time === 'number' || typeof record.time === 'string' ? record.time : fallback;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? new Date(fallback).toISOString() : date.toISOString();
}

/** Characters of the task id printed on text lines; `logs --task` accepts this prefix. */
export const SHORT_TASK_ID_LENGTH = 8;

/** The task id at the end of an awslogs stream name (`<prefix>/<container>/<task id>`). */
export function taskIdOfStream(stream: string): string {
  return stream.slice(stream.lastIndexOf('/') + 1);
}

/**
 * Renders one log event for people: pino JSON becomes `time LEVEL [reqId] msg`, with the request
 * line and error when present; anything else is printed as is behind the event's time. With
 * `task`, the task's short id follows the time, so interleaved tasks can be told apart.
 */
export function renderLogLine(line: LogLine, options: { task?: boolean } = {}): string {
  const record = parsePino(line.message);
  const task = options.task ? ` ${taskIdOfStream(line.stream).slice(0, SHORT_TASK_ID_LENGTH)}` : '';
  if (!record) return `${new Date(line.timestamp).toISOString()}${task} ${line.message.trimEnd()}`;
  const reqId = record.reqId ?? record.req?.id;
  const parts = [`${timeOf(record, line.timestamp)}${task}`, levelLabel(record.level).padEnd(5)];
  if (reqId !== undefined) parts.push(`[${fieldText(reqId)}]`);
  const msg = record.msg ?? record.message;
  if (msg !== undefined) parts.push(fieldText(msg));
  if (record.req?.method && record.req.url) {
    const status =
      record.res?.statusCode !== undefined ? ` ${fieldText(record.res.statusCode)}` : '';
    const took = typeof record.responseTime === 'number' ? ` ${record.responseTime}ms` : '';
    parts.push(`(${fieldText(record.req.method)} ${fieldText(record.req.url)}${status}${took})`);
  }
  if (record.err?.message) parts.push(`err=${fieldText(record.err.message)}`);
  return parts.join(' ');
}

/** `--json`: one stable object per line (NDJSON), the message untouched. */
export function jsonLogLine(line: LogLine): string {
  return JSON.stringify({
    time: new Date(line.timestamp).toISOString(),
    stream: line.stream,
    taskId: taskIdOfStream(line.stream),
    message: line.message,
  });
}
