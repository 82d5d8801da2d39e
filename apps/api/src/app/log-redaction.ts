/**
 * Where a credential can travel in a request, and how it is kept out of the log: these header
 * values are censored by pino's redact (logger-options.ts), and credential-looking query
 * parameters are censored in the logged URL (redactUrl). The request log stores route
 * templates only, never a path or a query.
 */
export const CENSOR = '[redacted]';

export const REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
] as const;

/** pino redact paths: the request's headers, and the response's should a serializer log them. */
export const REDACTED_PATHS = [
  ...REDACTED_HEADERS.map((header) => `req.headers["${header}"]`),
  ...REDACTED_HEADERS.map((header) => `res.headers["${header}"]`),
];

/**
 * Query parameter names that carry credentials, compared lowercased with `-` and `_` removed:
 * any name containing one of these words (`access_token`, `X-Amz-Security-Token`, `apiKey`,
 * `client_secret`, `password`, `sessionid`), and a few short names that are credentials alone.
 */
const CREDENTIAL_WORDS = [
  'token',
  'password',
  'passwd',
  'secret',
  'apikey',
  'auth',
  'credential',
  'signature',
  'session',
  'jwt',
];
const CREDENTIAL_NAMES = new Set(['key', 'code', 'sig', 'pwd', 'pass']);

function normalizedName(rawName: string): string {
  let name = rawName.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape is judged as written.
  }
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

export function isCredentialParameter(rawName: string): boolean {
  const name = normalizedName(rawName);
  return CREDENTIAL_NAMES.has(name) || CREDENTIAL_WORDS.some((word) => name.includes(word));
}

/**
 * The URL with the value of every credential-looking query parameter censored:
 * `/api/requests?limit=5&access_token=abc` → `/api/requests?limit=5&access_token=[redacted]`.
 * Everything else is kept as sent, so the line still shows what was asked.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return isCredentialParameter(name) ? `${name}=${CENSOR}` : pair;
    })
    .join('&');
  return `${url.slice(0, start)}?${query}`;
}
