import { HEALTH_PATH, LIVENESS_PATH } from './endpoints';
import { targetGroupHealthCheck } from './target-group-health-check';

describe('targetGroupHealthCheck', () => {
  it('checks /health in the database wiring: traffic-port, 3/3, timeout 5, interval 30, matcher 200-299', () => {
    expect(targetGroupHealthCheck('database')).toEqual({
      enabled: true,
      path: HEALTH_PATH,
      port: 'traffic-port',
      protocol: 'HTTP',
      healthyThreshold: 3,
      unhealthyThreshold: 3,
      timeout: 5,
      interval: 30,
      matcher: '200-299',
    });
  });

  it('uses the liveness path by default so a database outage cannot cause a restart storm', () => {
    expect(targetGroupHealthCheck().path).toBe(LIVENESS_PATH);
  });

  it('keeps the interval above the timeout, as the ALB requires', () => {
    const check = targetGroupHealthCheck();

    expect(check.interval).toBeGreaterThan(check.timeout);
  });
});
