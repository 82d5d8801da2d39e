import { resourceNames } from './resource-names';
import { REQUEST_ID_PATTERN, SAVED_QUERY_IDS } from './saved-queries';

describe('saved query names', () => {
  it('put each environment’s queries in a folder of its own', () => {
    expect(resourceNames('prod').savedQueries['errors-by-route']).toBe('prod-e/errors-by-route');
    expect(resourceNames('staging').savedQueries['errors-by-route']).toBe(
      'prod-e-staging/errors-by-route',
    );
    expect(Object.keys(resourceNames('prod').savedQueries)).toEqual(SAVED_QUERY_IDS);
  });

  it('accept request ids as the API makes them and nothing that could end a query string', () => {
    expect(REQUEST_ID_PATTERN.test('3f0c7a52-95b4-4c1e-9d0f-2b7c1e6f7a10')).toBe(true);
    expect(REQUEST_ID_PATTERN.test('abc" | filter 1=1')).toBe(false);
  });
});
