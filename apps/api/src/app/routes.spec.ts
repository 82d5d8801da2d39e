import { isApiRoute, isOperationalRoute, isProtectedRoute } from './routes';

describe('route classes', () => {
  it.each([
    ['/health', true, false, false],
    ['/health/live', true, false, false],
    ['/metrics', true, false, true],
    ['/docs', true, false, true],
    ['/docs-json', true, false, true],
    ['/docs/swagger-ui.css', true, false, true],
    ['/api/requests', false, true, true],
    ['/api/requests/stats', false, true, true],
    ['/apiary', false, false, false],
    ['(unmatched)', false, false, false],
  ])('%s: operational %s, api %s, protected %s', (route, operational, api, protectedRoute) => {
    expect([isOperationalRoute(route), isApiRoute(route), isProtectedRoute(route)]).toEqual([
      operational,
      api,
      protectedRoute,
    ]);
  });
});
