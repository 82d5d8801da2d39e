/**
 * Every page of a token-paginated AWS list call, in order. The SDK's own `paginate*` helpers need
 * a whole client; ops passes narrow clients (see aws.ts), so the token loop lives here, once.
 * A page repeating the token it was asked with ends the walk instead of looping forever.
 */
export async function allPages<P>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextTokenOf: (page: P) => string | undefined,
): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    pages.push(page);
    // The Tagging API ends with an empty string rather than no token.
    const next = nextTokenOf(page) || undefined;
    if (next === undefined || next === token) return pages;
    token = next;
  }
}
