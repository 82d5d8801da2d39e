/** Terraform JSON attributes: untyped by nature; rules narrow what they read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfValues = Record<string, any>;

/** The synthesized Terraform JSON, as far as the rules read it. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, TfValues>>;
  readonly data?: Record<string, Record<string, TfValues>>;
  readonly provider?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** One resource of the JSON, with its address and (when the JSON kept metadata) construct path. */
export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, as Terraform and references spell it. */
  readonly address: string;
  /** Construct path inside the stack (`security-groups/alb`), or the address without metadata. */
  readonly path: string;
  readonly values: TfValues;
}

export interface Finding {
  readonly ruleId: string;
  readonly address: string;
  readonly path: string;
  readonly message: string;
}

/** A rule named by its checkov id (or Security Hub / trivy / cdk-nag id where checkov has none). */
export interface PolicyRule {
  readonly id: string;
  /** The same intent's ids in the other tools (the Aliases column of docs/policy-checks.md). */
  readonly aliases: readonly string[];
  readonly title: string;
  evaluate(ctx: PolicyContext): Finding[];
}

/** Read access to the JSON for rules: resources by type and references between them. */
export class PolicyContext {
  readonly all: readonly TfResource[];

  /** @param environment the environment the stack deploys (rules that hold in prod only read it) */
  constructor(
    readonly json: TerraformJson,
    readonly environment = 'prod',
  ) {
    this.all = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, values]) => {
        const meta = (values['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
        return {
          type,
          name,
          address: `${type}.${name}`,
          // Drop the stack id so a path reads the same in every environment.
          path: meta ? meta.split('/').slice(1).join('/') : `${type}.${name}`,
          values,
        };
      }),
    );
  }

  resources(...types: string[]): TfResource[] {
    return this.all.filter((r) => types.includes(r.type));
  }

  /** The resource a `${type.name.attr}` reference (anywhere in the value) points at. */
  referenced(value: unknown): TfResource[] {
    const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    const addresses = [...text.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)[.}[]/g)].map(
      (m) => `${m[1]}.${m[2]}`,
    );
    return this.all.filter((r) => addresses.includes(r.address));
  }

  /** Resources (of the given types) whose values reference `target`. */
  referencing(target: TfResource, ...types: string[]): TfResource[] {
    const needle = `\${${target.address}.`;
    return this.all.filter(
      (r) =>
        r !== target &&
        (!types.length || types.includes(r.type)) &&
        JSON.stringify(r.values).includes(needle),
    );
  }
}

/** A finding of one rule on one resource. */
export const finding = (ruleId: string, resource: TfResource, message: string): Finding => ({
  ruleId,
  address: resource.address,
  path: resource.path,
  message,
});

type Check = (
  resource: TfResource,
  ctx: PolicyContext,
) => string | undefined | readonly (string | undefined)[];

/** A rule that checks each resource of some types; `check` returns the problem(s), if any. */
export function resourceRule(
  id: string,
  aliases: readonly string[],
  title: string,
  types: readonly string[],
  check: Check,
): PolicyRule {
  return {
    id,
    aliases,
    title,
    evaluate: (ctx) =>
      ctx.resources(...types).flatMap((resource) => {
        const result = check(resource, ctx);
        const messages = (Array.isArray(result) ? result : [result]).filter(
          (m): m is string => typeof m === 'string',
        );
        return messages.map((message) => finding(id, resource, message));
      }),
  };
}

/** Terraform nested blocks arrive as an object or a one-element list; this reads either. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function block(value: unknown): Record<string, any> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return typeof first === 'object' && first !== null ? (first as Record<string, any>) : undefined;
}

/** Terraform nested blocks as a list (a single block object becomes a one-element list). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function blocks(value: unknown): Record<string, any>[] {
  return listOf(value).filter((v): v is TfValues => typeof v === 'object' && v !== null);
}

/** An attribute that is a list or a single value as a list (nothing when it is unset). */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when the attribute is one of these strings (never for a non-string value). */
export function isOneOf(value: unknown, options: readonly string[]): value is string {
  return typeof value === 'string' && options.includes(value);
}

/** A scalar attribute as text (Terraform writes some, such as protocols, as string or number). */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** JSON carried in a string attribute (container definitions, policies); undefined when not JSON. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
