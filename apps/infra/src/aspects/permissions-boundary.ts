import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Sets one permissions boundary on every IAM role of a stack. */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}
