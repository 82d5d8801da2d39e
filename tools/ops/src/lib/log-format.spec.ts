import { jsonLogLine, renderLogLine } from './log-format';

const line = (message: string) => ({
  timestamp: Date.parse('2025-03-14T08:00:00Z'),
  stream: 'p/c/t1',
  message,
});

describe('renderLogLine', () => {
  it('renders pino JSON as time, level, request id and message', () => {
    const text = renderLogLine(
      line('{"level":40,"time":1710403201000,"req":{"id":"req-7"},"msg":"slow query"}'),
    );

    expect(text).toBe('2024-03-14T08:00:01.000Z WARN  [req-7] slow query');
  });

  it('adds the error message and accepts string levels', () => {
    const text = renderLogLine(
      line(
        '{"level":"error","time":"2025-03-14T08:00:00.000Z","msg":"insert failed","err":{"message":"connection terminated"}}',
      ),
    );

    expect(text).toBe('2025-03-14T08:00:00.000Z ERROR insert failed err=connection terminated');
  });

  it('writes a structured message or error as JSON, never as [object Object]', () => {
    const text = renderLogLine(
      line(
        '{"level":50,"time":1710403201000,"msg":{"event":"flush"},"err":{"message":{"code":"57P01"}}}',
      ),
    );

    expect(text).toBe('2024-03-14T08:00:01.000Z ERROR {"event":"flush"} err={"code":"57P01"}');
  });

  it('prints anything that is not a JSON object as it is, behind the event time', () => {
    expect(renderLogLine(line('npm warn config production Use `--omit=dev` instead.\n'))).toBe(
      '2025-03-14T08:00:00.000Z npm warn config production Use `--omit=dev` instead.',
    );
    expect(renderLogLine(line('{not json'))).toBe('2025-03-14T08:00:00.000Z {not json');
  });
});

describe('jsonLogLine', () => {
  it('keeps the raw message and names the task', () => {
    expect(JSON.parse(jsonLogLine(line('{"level":30}')))).toEqual({
      time: '2025-03-14T08:00:00.000Z',
      stream: 'p/c/t1',
      taskId: 't1',
      message: '{"level":30}',
    });
  });
});
