/**
 * An expected failure (a missing tool, missing credentials, a refused tag). Its message is one
 * sentence naming what is missing and what to do; the CLI prints it without a stack and exits 1.
 */
export class DeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** "a", "a and b", "a, b and c": prerequisites are reported in one sentence. */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
