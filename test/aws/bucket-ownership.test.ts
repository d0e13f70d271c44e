/**
 * HeadBucket through the real SdkGateway: what each S3 answer means for the
 * stage's bucket. S3's 301 for a bucket in another region comes from a tiny
 * local server (moto does not redirect: it answers 200 and names the region),
 * and the moto case shows the 200 path.
 */
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CreateBucketCommand, S3Client} from '@aws-sdk/client-s3';
import {SdkGateway} from '../../src/aws/sdk-gateway.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';

const credentials = {accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'dummy'};

/** Path-style HEAD /<bucket> → status and headers. */
const ANSWERS: Record<string, {status: number; headers?: Record<string, string>}> = {
  'zappa-elsewhere': {status: 301, headers: {'x-amz-bucket-region': 'eu-west-1'}},
  'zappa-unnamed': {status: 301},
  'zappa-free': {status: 404},
  'zappa-taken': {status: 403, headers: {'x-amz-bucket-region': 'eu-west-1'}},
  'zappa-ours': {status: 200, headers: {'x-amz-bucket-region': 'us-east-1'}},
  'zappa-ours-moved': {status: 200, headers: {'x-amz-bucket-region': 'ap-south-1'}},
  'zappa-broken': {status: 500},
};

let server: Server;
let gateway: SdkGateway;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = ANSWERS[(req.url ?? '').split('?')[0]!.replace(/^\/|\/$/g, '')] ?? {status: 404};
    res.writeHead(answer.status, answer.headers).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as AddressInfo;
  gateway = new SdkGateway({credentials, region: 'us-east-1', endpoints: {s3: `http://127.0.0.1:${port}`}});
});

afterAll(async () => {
  gateway.destroy();
  await new Promise((done) => server.close(done));
});

describe('bucketOwnership', () => {
  it.each([
    ['zappa-elsewhere', {elsewhere: 'eu-west-1'}],
    ['zappa-unnamed', {elsewhere: 'another region'}],
    ['zappa-free', 'free'],
    ['zappa-taken', 'taken'],
    ['zappa-ours', 'ours'],
    ['zappa-ours-moved', {elsewhere: 'ap-south-1'}],
  ])('%s → %j', async (bucket, expected) => {
    expect(await gateway.bucketOwnership(bucket)).toEqual(expected);
  });

  it('still throws what it cannot read', async () => {
    await expect(gateway.bucketOwnership('zappa-broken')).rejects.toMatchObject({name: 'AwsError', action: 's3:HeadBucket'});
  });
});

describe('bucketOwnership against moto_server', () => {
  afterAll(() => resetMoto(motoUrl()));

  it('names the region of a bucket created elsewhere', async () => {
    const url = motoUrl();
    const eu = new S3Client({region: 'eu-west-1', endpoint: url, forcePathStyle: true, credentials});
    await eu.send(new CreateBucketCommand({Bucket: 'zappa-probe-eu-1a2b3c4d5e', CreateBucketConfiguration: {LocationConstraint: 'eu-west-1'}}));
    eu.destroy();
    const fromUs = new SdkGateway({credentials, region: 'us-east-1', endpoints: {s3: url}});
    const fromEu = new SdkGateway({credentials, region: 'eu-west-1', endpoints: {s3: url}});
    try {
      expect(await fromUs.bucketOwnership('zappa-probe-eu-1a2b3c4d5e')).toEqual({elsewhere: 'eu-west-1'});
      expect(await fromEu.bucketOwnership('zappa-probe-eu-1a2b3c4d5e')).toBe('ours');
    } finally {
      fromUs.destroy();
      fromEu.destroy();
    }
  });
});
