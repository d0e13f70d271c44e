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
  // The account's own bucket, which the admin may not read (no s3:ListBucket on it).
  'zappa-mine-unreadable': {status: 403, headers: {'x-amz-bucket-region': 'us-east-1'}},
  'zappa-ours': {status: 200, headers: {'x-amz-bucket-region': 'us-east-1'}},
  'zappa-ours-moved': {status: 200, headers: {'x-amz-bucket-region': 'ap-south-1'}},
  'zappa-broken': {status: 500},
};

/** ListBuckets (GET /): the account's own buckets. */
const OWN_BUCKETS = ['zappa-mine-unreadable', 'zappa-ours', 'zappa-ours-moved'];
const listXml = (names: string[]) => '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets>'
  + names.map((n) => `<Bucket><Name>${n}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>`).join('')
  + '</Buckets><Owner><ID>owner</ID></Owner></ListAllMyBucketsResult>';
const DENIED_XML = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

let server: Server;
let gateway: SdkGateway;
/** The same buckets for an admin without s3:ListAllMyBuckets. */
let noListing: SdkGateway;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!.replace(/^\/|\/$/g, '');
    if (req.method === 'GET' && path === '') {
      if (req.headers.host?.startsWith('localhost')) return res.writeHead(403, {'content-type': 'application/xml'}).end(DENIED_XML);
      return res.writeHead(200, {'content-type': 'application/xml'}).end(listXml(OWN_BUCKETS));
    }
    const answer = ANSWERS[path] ?? {status: 404};
    res.writeHead(answer.status, answer.headers).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as AddressInfo;
  gateway = new SdkGateway({credentials, region: 'us-east-1', endpoints: {s3: `http://127.0.0.1:${port}`}});
  // The same server under another host name, which it answers as an admin without s3:ListAllMyBuckets.
  noListing = new SdkGateway({credentials, region: 'us-east-1', endpoints: {s3: `http://localhost:${port}`}});
});

afterAll(async () => {
  gateway.destroy();
  noListing.destroy();
  await new Promise((done) => server.close(done));
});

describe('bucketOwnership', () => {
  it.each([
    ['zappa-elsewhere', {elsewhere: 'eu-west-1'}],
    ['zappa-unnamed', {elsewhere: 'another region'}],
    ['zappa-free', 'free'],
    ['zappa-taken', 'taken'],
    ['zappa-mine-unreadable', 'ours'],
    ['zappa-ours', 'ours'],
    ['zappa-ours-moved', {elsewhere: 'ap-south-1'}],
  ])('%s → %j', async (bucket, expected) => {
    expect(await gateway.bucketOwnership(bucket)).toEqual(expected);
  });

  it.each([
    ['zappa-taken', 'unknown'],
    ['zappa-mine-unreadable', 'unknown'],
    ['zappa-free', 'free'],
    ['zappa-ours', 'ours'],
  ])('without the account\'s bucket list, a 403 for %s cannot tell whose it is: %j', async (bucket, expected) => {
    expect(await noListing.bucketOwnership(bucket)).toEqual(expected);
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
