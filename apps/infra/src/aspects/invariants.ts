import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Annotations, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

import { statementsOf } from '../policy/statements';

/** Every security group and rule says why it exists (CKV_AWS_23). */
export class SecurityGroupDescriptions implements IAspect {
  visit(node: IConstruct): void {
    if (
      node instanceof SecurityGroup ||
      node instanceof VpcSecurityGroupIngressRule ||
      node instanceof VpcSecurityGroupEgressRule
    ) {
      if (!node.descriptionInput?.trim()) {
        Annotations.of(node).addError(
          `${node.node.path} has no description (CKV_AWS_23); add one saying why it exists.`,
        );
      }
    }
  }
}

/** Inline, scoped IAM only: every statement has a Sid, no managed policy is attached (AwsSolutions-IAM4). */
export class InlineIamWithSids implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof IamRolePolicyAttachment) {
      Annotations.of(node).addError(
        `${node.node.path} attaches a managed policy; write an inline, ARN-scoped policy instead (AwsSolutions-IAM4).`,
      );
    }
    if (node instanceof IamRole && node.managedPolicyArnsInput?.length) {
      Annotations.of(node).addError(
        `${node.node.path} lists managed_policy_arns; use inline policies (AwsSolutions-IAM4).`,
      );
    }
    const documents =
      node instanceof IamRolePolicy
        ? [node.policyInput]
        : node instanceof IamRole
          ? [node.assumeRolePolicyInput]
          : [];
    for (const statement of documents.flatMap(statementsOf)) {
      if (!statement.sid) {
        Annotations.of(node).addError(
          `${node.node.path} has a policy statement without a Sid; name what it is for.`,
        );
      }
    }
  }
}

/** Log groups keep a retention and a customer-managed key (CKV_AWS_66, CKV_AWS_158). */
export class EncryptedRetainedLogGroups implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CloudwatchLogGroup) {
      if (!node.retentionInDaysInput) {
        Annotations.of(node).addError(
          `${node.node.path} keeps logs forever; set retentionInDays (CKV_AWS_66).`,
        );
      }
      if (!node.kmsKeyIdInput) {
        Annotations.of(node).addError(
          `${node.node.path} is not encrypted with the stack key (CKV_AWS_158).`,
        );
      }
    }
  }
}

/** The invariants every stack in this app carries; an error annotation fails `app.synth()`. */
export function invariantAspects(): IAspect[] {
  return [
    new SecurityGroupDescriptions(),
    new InlineIamWithSids(),
    new EncryptedRetainedLogGroups(),
  ];
}
