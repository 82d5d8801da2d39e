import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { TerraformElement } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A Terraform `ephemeral` block (Terraform ≥ 1.10). cdktf 0.21 has no binding for ephemeral
 * resources, so this element writes the block into the stack JSON itself. Ephemeral values exist
 * only while Terraform runs: never in the plan, the state or an output.
 */
export class EphemeralResource extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly resourceType: string,
    private readonly config: Readonly<Record<string, unknown>>,
  ) {
    super(scope, id);
  }

  /** A reference to one of the block's attributes, for write-only arguments. */
  attribute(name: string): string {
    return `\${ephemeral.${this.resourceType}.${this.friendlyUniqueId}.${name}}`;
  }

  override toTerraform(): Record<string, unknown> {
    return { ephemeral: { [this.resourceType]: { [this.friendlyUniqueId]: this.config } } };
  }
}

export interface ApiTokenSecretProps {
  readonly name: string;
  readonly kmsKeyArn: string;
  /** Characters in the generated token (the API wants at least 16). @default 48 */
  readonly tokenLength?: number;
  /**
   * Bump to make Terraform write a freshly generated token (write-only arguments are re-sent only
   * when their version changes). @default 1
   */
  readonly tokenVersion?: number;
  /** Days a deleted secret stays recoverable. @default 30 */
  readonly recoveryWindowDays?: number;
}

/**
 * The API's bearer tokens: `API_TOKENS`, a comma-separated list. Terraform generates the
 * first token with the ephemeral `aws_secretsmanager_random_password` and writes it through the
 * write-only `secret_string_wo` (Terraform ≥ 1.11), so the value is in Secrets Manager only: not in
 * the state, the plan or an output. The task receives it through `secrets`.
 */
export class ApiTokenSecret extends Construct {
  public readonly secret: SecretsmanagerSecret;
  public readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: ApiTokenSecretProps) {
    super(scope, id);
    const tokenLength = props.tokenLength ?? 48;
    if (tokenLength < 16) {
      throw new Error(
        `ApiTokenSecret: tokenLength ${tokenLength} is below the API's 16-character minimum; raise it.`,
      );
    }
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.name,
      description: 'API_TOKENS for the API: comma-separated bearer tokens',
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays ?? 30,
    });
    const token = new EphemeralResource(this, 'token', 'aws_secretsmanager_random_password', {
      password_length: tokenLength,
      // Commas separate tokens in API_TOKENS; punctuation is dropped so no token can contain one.
      exclude_punctuation: true,
      include_space: false,
    });
    this.version = new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretStringWo: token.attribute('random_password'),
      secretStringWoVersion: props.tokenVersion ?? 1,
    });
  }
}
