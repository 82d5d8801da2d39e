import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** CKV_AWS_66 (set) and CKV_AWS_338 (≥ 365 in prod). */
  readonly retentionDays: number;
  /** CKV_AWS_158: a customer-managed key whose policy lets CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
}

/** A log group with retention and CMK encryption: the only way this stack makes one. */
export function encryptedLogGroup(
  scope: Construct,
  id: string,
  props: EncryptedLogGroupProps,
): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, id, {
    name: props.name,
    retentionInDays: props.retentionDays,
    kmsKeyId: props.kmsKeyArn,
  });
}

export interface ServiceLogsProps {
  /** The container log group (`/ecs/prod-e-task`). */
  readonly logGroupName: string;
  /** The ECS Exec audit log group. @default none (no audit group: then nothing may enable ECS Exec) */
  readonly execLogGroupName?: string;
  /** @default 14 (settings: 365 for prod) */
  readonly retentionDays?: number;
  readonly kmsKeyArn: string;
}

/** The service's log groups: container output and the ECS Exec session audit trail. */
export class ServiceLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly execLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ServiceLogsProps) {
    super(scope, id);
    if (props.execLogGroupName === props.logGroupName) {
      throw new Error(
        'ServiceLogs: execLogGroupName equals logGroupName; give ECS Exec sessions their own group so the audit trail is not mixed with application output.',
      );
    }
    const retentionDays = props.retentionDays ?? 14;
    this.logGroup = encryptedLogGroup(this, 'container', {
      name: props.logGroupName,
      retentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    if (props.execLogGroupName) {
      this.execLogGroup = encryptedLogGroup(this, 'exec', {
        name: props.execLogGroupName,
        retentionDays,
        kmsKeyArn: props.kmsKeyArn,
      });
    }
  }
}
