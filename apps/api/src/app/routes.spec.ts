import {
  isApiRoute,
  isHealthRoute,
  isMeasuredRoute,
  isOperationalRoute,
  isProtectedRoute,
} from './routes';

describe('route classes', () => {
  it.each([
    ['/health', true, true, false, false],
    ['/health/live', true, true, false, false],
    ['/healthz', false, false, false, false],
    ['/docs', false, true, false, true],
    ['/docs-json', false, true, false, true],
    ['/docs/swagger-ui.css', false, true, false, true],
    ['/api/requests', false, false, true, true],
    ['/api/requests/stats', false, false, true, true],
    ['/apiary', false, false, false, false],
    ['/metrics', false, false, false, false],
    ['(unmatched)', false, false, false, false],
  ])(
    '%s: health %s, operational %s, api %s, protected %s',
    (route, health, operational, api, protectedRoute) => {
      expect([
        isHealthRoute(route),
        isOperationalRoute(route),
        isApiRoute(route),
        isProtectedRoute(route),
      ]).toEqual([health, operational, api, protectedRoute]);
    },
  );
});

describe('isMeasuredRoute', () => {
  it.each([
    ['/health/live', false],
    ['/health', true],
    ['/api/requests', true],
    ['/docs', true],
    ['(unmatched)', true],
  ])('%s → %s', (route, measured) => {
    expect(isMeasuredRoute(route)).toBe(measured);
  });
});
