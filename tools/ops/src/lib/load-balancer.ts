import { type ResourceNames } from '@prod-e/deployment';

import { type ElbApi } from './aws';
import { OpsError } from './errors';

/** The ALB's base URL, from its DNS name (DescribeLoadBalancers by the environment's name). */
export async function loadBalancerUrl(elb: ElbApi, names: ResourceNames): Promise<string> {
  const result = await elb.describeLoadBalancers({ Names: [names.loadBalancer] });
  const [balancer] = result.LoadBalancers ?? [];
  const dns = balancer?.DNSName;
  if (balancer?.Scheme === 'internal') {
    throw new OpsError(
      'NOT_FOUND',
      `Load balancer ${names.loadBalancer} is internal (behind CloudFront): it has no URL the internet answers.`,
      {
        suggestion:
          "Pass --url with the stack's service_url output (terraform output -raw service_url).",
      },
    );
  }
  if (!dns) {
    throw new OpsError('NOT_FOUND', `Load balancer ${names.loadBalancer} has no DNS name.`, {
      suggestion: 'Pass --url with the service URL.',
    });
  }
  return `http://${dns}`;
}
