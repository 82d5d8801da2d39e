import { z } from 'zod';

/**
 * How the service is reached over the internet:
 * - `domain`: the stack issues a DNS-validated ACM certificate for a name in a Route 53 hosted
 *   zone, points an alias record at the ALB, and serves HTTPS on 443 (80 redirects);
 * - `certificate`: an ACM certificate that exists already, on the ALB's 443 listener;
 * - `cloudfront`: no domain at all: CloudFront serves HTTPS on its own `*.cloudfront.net` name and
 *   reaches an internal ALB through a VPC origin;
 * - `http`: plain HTTP on the ALB's port 80, for trying things out; refused for prod.
 */
export const TLS_MODES = ['domain', 'certificate', 'cloudfront', 'http'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** What a newcomer can deploy to an empty account: HTTPS without owning a domain. */
export const DEFAULT_TLS_MODE = 'cloudfront' satisfies TlsMode;

const certificateArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, {
    error: 'must be an ACM certificate ARN',
  });

const domainName = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'must be a fully qualified domain name such as api.example.com',
  });

const hostedZoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
  error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
});

export const tlsSettingsSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('domain'), domainName, hostedZoneId }).strict(),
    z
      .object({
        mode: z.literal('certificate'),
        certificateArn,
        /**
         * The name clients use, which a DNS record you manage points at the ALB: the service URL's
         * host. @default the ALB's own DNS name (which the certificate must then cover)
         */
        domainName: domainName.optional(),
      })
      .strict(),
    z.object({ mode: z.literal('cloudfront') }).strict(),
    z.object({ mode: z.literal('http') }).strict(),
  ],
  { error: `mode must be one of ${TLS_MODES.join(', ')}` },
);

export type TlsSettings = z.output<typeof tlsSettingsSchema>;

/**
 * The three ways to serve prod over HTTPS, as the refusal of plain HTTP lists them (the shapes are
 * what `tls` takes in libs/deployment/src/environments/prod.ts).
 */
export const HTTPS_FIXES = [
  "tls: { mode: 'domain', domainName: 'api.example.com', hostedZoneId: 'Z…' } (a Route 53 zone you own: the stack issues and validates the certificate)",
  "tls: { mode: 'certificate', certificateArn: 'arn:aws:acm:…' } (an ACM certificate you already have, in the stack's region)",
  "tls: { mode: 'cloudfront' } (no domain: HTTPS on CloudFront's own *.cloudfront.net name)",
] as const;

/** The refusal of a plain-HTTP internet-facing prod, naming every fix. */
export function plainHttpRefusal(environment: string): string {
  return `plain HTTP would carry bearer tokens in cleartext, so ${environment} refuses mode 'http'; set one of: ${HTTPS_FIXES.map((fix, i) => `(${i + 1}) ${fix}`).join('; ')}`;
}

/**
 * Proxies in front of the API that append to `X-Forwarded-For`: the ALB, and CloudFront before it.
 * The API trusts exactly this many hops (TRUSTED_PROXY_HOPS), so the client address it keys its
 * rate limit on is the one the outermost AWS proxy saw, never one the client wrote.
 */
export function edgeProxyHops(tls: TlsSettings): number {
  return tls.mode === 'cloudfront' ? 2 : 1;
}
