import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { type App, Aspects, TerraformStack, Testing } from 'cdktf';

import { synthesize, testApp } from '../testing/synth';
import { invariantAspects } from './invariants';

function errorsOf(stack: TerraformStack): string[] {
  Testing.synth(stack);
  return stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data)),
    );
}

describe('GIVEN the invariant aspects', () => {
  it('THEN the prod stack carries no error annotation', () => {
    expect(errorsOf(synthesize().service)).toEqual([]);
  });

  it('errors when a security group, a log group or a role breaks an invariant, naming each', () => {
    const stack = new TerraformStack(testApp(), 'bad');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    for (const aspect of invariantAspects()) Aspects.of(stack).add(aspect);
    new SecurityGroup(stack, 'group', { name: 'g', description: ' ' });
    new CloudwatchLogGroup(stack, 'logs', { name: '/bad' });
    const role = new IamRole(stack, 'role', {
      name: 'r',
      assumeRolePolicy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicy(stack, 'policy', {
      role: role.id,
      policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
      }),
    });
    new IamRolePolicyAttachment(stack, 'managed', {
      role: role.id,
      policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    const errors = errorsOf(stack);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/group has no description \(CKV_AWS_23\)/),
        expect.stringMatching(/logs keeps logs forever/),
        expect.stringMatching(/logs is not encrypted/),
        expect.stringMatching(/role has a policy statement without a Sid/),
        expect.stringMatching(/policy has a policy statement without a Sid/),
        expect.stringMatching(/managed attaches a managed policy/),
      ]),
    );
    // A real synth refuses to write a stack that carries error annotations.
    expect(() => (stack.node.root as App).synth()).toThrow(/CKV_AWS_23/);
  });
});
