/**
 * An AWS SDK v3 command class, seen structurally (no SDK import): its input is the constructor's
 * argument, its output what the middleware stack resolves to.
 */
export type SdkCommandClass = new (input: never) => {
  readonly input: object;
  resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: unknown }>;
};

// The instance's `input` (the constructor is overloaded when every field is optional).
type InputOf<C> = C extends new (input: never) => { readonly input: infer I } ? I : never;
type OutputOf<C> = C extends new (input: never) => {
  resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: infer O }>;
}
  ? O
  : never;

/** One method per command: `describeServices(input)` sends DescribeServicesCommand. */
export type SdkAdapter<Commands extends Record<string, SdkCommandClass>> = {
  readonly [K in keyof Commands]: (
    // Commands whose input has no required field (sts:GetCallerIdentity) may be called bare.
    ...input: Record<string, never> extends InputOf<Commands[K]>
      ? [input?: InputOf<Commands[K]>]
      : [input: InputOf<Commands[K]>]
  ) => Promise<OutputOf<Commands[K]>>;
};

/** Anything with an SDK client's `send`. */
export interface SdkClient {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * Wraps every call: `action` is the IAM action (`ecs:DescribeServices`), `send` makes the call
 * with an abort signal, `input` is what was sent (for messages that name the resource).
 */
export type SdkCall = <T>(
  action: string,
  send: (abortSignal: AbortSignal) => Promise<T>,
  input: object,
) => Promise<T>;

/**
 * A narrow client for the commands listed, each method named after its command and sent through
 * `call` (timeouts, error translation) as the IAM action `<service>:<Command>`; so a client names
 * exactly the calls a tool makes, without an adapter written out per call.
 */
export function sdkAdapter<Commands extends Record<string, SdkCommandClass>>(
  client: SdkClient,
  service: string,
  commands: Commands,
  call: SdkCall,
): SdkAdapter<Commands> {
  const methods = Object.entries(commands).map(([method, Command]) => {
    const action = `${service}:${method[0].toUpperCase()}${method.slice(1)}`;
    const send = (input: object = {}) =>
      call(
        action,
        (abortSignal) => client.send(new Command(input as never) as never, { abortSignal }),
        input,
      );
    return [method, send] as const;
  });
  return Object.fromEntries(methods) as unknown as SdkAdapter<Commands>;
}
