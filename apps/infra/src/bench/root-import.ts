// The import style apps/infra avoids (README, "Speed"), measured on purpose: the provider package
// root loads every one of its ~1,500 resource modules even for a single bucket.
import * as aws from '@cdktf/provider-aws';
import { App, TerraformStack } from 'cdktf';

import { report, tempOutdir } from './measure';

const outdir = tempOutdir();
const app = new App({ outdir });
const stack = new TerraformStack(app, 'baseline');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-west-2' });
new aws.s3Bucket.S3Bucket(stack, 'bucket', { bucket: 'prod-e-bench-baseline' });
app.synth();
report(1, outdir);
