import { type ResourceNames } from '@prod-e/deployment';

import { type ElbApi } from './aws';
import { OpsError } from './errors';

/** The ALB's base URL, from its DNS name (DescribeLoadBalancers by the environment's name). */
export async function loadBalancerUrl(elb: ElbApi, names: ResourceNames): Promise<string> {
  const result = await elb.describeLoadBalancers({ Names: [names.loadBalancer] });
  const dns = result.LoadBalancers?.[0]?.DNSName;
  if (!dns) {
    throw new OpsError('NOT_FOUND', `Load balancer ${names.loadBalancer} has no DNS name.`, {
      suggestion: 'Pass --url with the service URL.',
    });
  }
  return `http://${dns}`;
}
