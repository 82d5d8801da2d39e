import { listRequestsQuerySchema } from '../requests/dto/list-requests.query';
import { requestStatsQuerySchema } from '../requests/dto/request-stats.query';
import { CENSOR, isCredentialParameter, redactUrl } from './log-redaction';

describe('redactUrl', () => {
  it.each([
    ['/api/requests?access_token=abc', `/api/requests?access_token=${CENSOR}`],
    [
      '/api/requests?limit=5&token=abc&route=%2Fx',
      `/api/requests?limit=5&token=${CENSOR}&route=%2Fx`,
    ],
    [
      '/x?api_key=abc&apiKey=def&API-KEY=ghi',
      `/x?api_key=${CENSOR}&apiKey=${CENSOR}&API-KEY=${CENSOR}`,
    ],
    ['/x?password=abc&client_secret=def', `/x?password=${CENSOR}&client_secret=${CENSOR}`],
    [
      '/x?X-Amz-Security-Token=abc&X-Amz-Signature=def',
      `/x?X-Amz-Security-Token=${CENSOR}&X-Amz-Signature=${CENSOR}`,
    ],
    ['/x?access%5Ftoken=abc', `/x?access%5Ftoken=${CENSOR}`],
    ['/x?token', `/x?token=${CENSOR}`],
    ['/x?key=abc&code=def', `/x?key=${CENSOR}&code=${CENSOR}`],
  ])('censors credentials in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    '/api/requests',
    '/api/requests?limit=5&route=%2Fapi&status=200',
    '/x?',
    '/x?%E0%A4%A=1',
  ])('keeps %s as it is', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});

describe('isCredentialParameter', () => {
  it("keeps the API's own query parameters readable", () => {
    const parameters = [
      ...Object.keys(listRequestsQuerySchema.shape),
      ...Object.keys(requestStatsQuerySchema.shape),
    ];

    expect(parameters.filter(isCredentialParameter)).toEqual([]);
  });
});
