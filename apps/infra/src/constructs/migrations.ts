import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** From the stack's working directory (`apps/infra/cdktf.out/stacks/<stack>`) to the workspace root. */
export const WORKSPACE_ROOT_FROM_STACK = '${path.root}/../../../../..';

export interface MigrationRunProps {
  readonly environment: string;
  readonly region: string;
  /** The new revision: the run is replaced, and so repeated, whenever it changes. */
  readonly taskDefinitionArn: string;
  /** Cluster the one-off task runs in (recorded so a moved cluster also reruns). */
  readonly clusterName: string;
  /** What must exist first: the database, the cluster, the NAT routes for the image pull. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** @default WORKSPACE_ROOT_FROM_STACK */
  readonly workingDir?: string;
}

/**
 * Runs pending migrations with the new task definition before the service moves to it.
 * A `terraform_data` resource (built into Terraform, no provider) is replaced whenever the task
 * definition ARN changes; its local-exec provisioner runs `npx --no-install prod-e migrate` (the
 * workspace's CLI, never a registry package of that name), which starts a one-off ECS task with
 * the `migrate` command override and fails when the task fails. The service
 * depends on this resource, so a failed migration fails the apply and the old revision keeps serving.
 */
export class MigrationRun extends Construct {
  public readonly run: DataResource;
  public readonly command: string;

  constructor(scope: Construct, id: string, props: MigrationRunProps) {
    super(scope, id);
    this.command = `npx --no-install prod-e migrate --env ${props.environment} --task-definition ${props.taskDefinitionArn}`;
    this.run = new DataResource(this, 'run', {
      triggersReplace: { taskDefinitionArn: props.taskDefinitionArn, cluster: props.clusterName },
      dependsOn: [...(props.dependsOn ?? [])],
      provisioners: [
        {
          type: 'local-exec',
          command: this.command,
          workingDir: props.workingDir ?? WORKSPACE_ROOT_FROM_STACK,
          environment: { AWS_REGION: props.region },
        },
      ],
    });
  }
}
