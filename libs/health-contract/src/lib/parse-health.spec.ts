import { healthySample, livenessSample, shuttingDownSample, unhealthySample } from '../testing';
import { healthHttpStatus } from './health-response';
import { parseHealth, parseLiveness } from './parse-health';

describe('parseHealth', () => {
  it('accepts the minimal healthy body', () => {
    expect(parseHealth(healthySample)).toEqual({ ok: true, value: healthySample });
  });

  it('accepts JSON text', () => {
    expect(parseHealth(JSON.stringify(unhealthySample))).toEqual({
      ok: true,
      value: unhealthySample,
    });
  });

  it('accepts keys it does not know, so a later API does not break older clients', () => {
    const later = { ...healthySample, region: 'eu-west-1' };

    expect(parseHealth(later)).toEqual({ ok: true, value: later });
  });

  it('names every problem of an invalid body', () => {
    const result = parseHealth({ status: 'up', timestamp: 'yesterday' });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^status: /),
      expect.stringMatching(/^timestamp: /),
      expect.stringMatching(/^database: /),
    ]);
  });

  it('rejects text that is not JSON', () => {
    expect(parseHealth('<html>502 Bad Gateway</html>')).toEqual({
      ok: false,
      problems: ['body is not valid JSON'],
    });
  });
});

describe('parseLiveness', () => {
  it('accepts ok and shutting_down', () => {
    expect(parseLiveness(livenessSample).ok).toBe(true);
    expect(parseLiveness(shuttingDownSample).ok).toBe(true);
  });

  it('rejects a health body without a status', () => {
    expect(parseLiveness({ timestamp: livenessSample.timestamp }).ok).toBe(false);
  });
});

describe('healthHttpStatus', () => {
  it('is 200 only when the status is ok and the database connected', () => {
    expect(healthHttpStatus(healthySample)).toBe(200);
    expect(healthHttpStatus(unhealthySample)).toBe(503);
    expect(healthHttpStatus({ status: 'ok', database: 'disconnected' })).toBe(503);
  });
});
