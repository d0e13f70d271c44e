/**
 * Checks of the stage's s3_bucket: the deployment policy only grants S3 on
 * `zappa-*` buckets, and bucket names are global across every AWS account,
 * so a name without a random suffix is often someone else's already.
 * Offline unless `ownership` (S3 HeadBucket with the admin identity) is given.
 */
import {BUCKET_PREFIX, hasRandomSuffix, validateBucketName} from '../../plan/names.js';
import {bucketRegionProblem} from '../../plan/region-features.js';
import type {BucketOwnership} from '../../aws/port.js';
import {Collector, type CheckResult, type Read} from './finding.js';

export interface BucketFacts {
  where: string;
  /** s3_bucket as written, if it is a string. */
  bucket?: string;
  /** Who owns the bucket; undefined when not asked (offline or no admin identity). */
  ownership?: Read<BucketOwnership>;
  /** The stage's region, where Lambda looks for the code (named when the bucket is elsewhere). */
  region?: string;
  setup: string;
}

export function checkBucket(facts: BucketFacts): CheckResult {
  const out = new Collector();
  const {where, bucket, setup} = facts;
  if (!bucket) {
    out.add({
      id: 'bucket-missing', where,
      problem: 'has no s3_bucket, so Zappa makes up a new random bucket name on every run',
      fix: setup,
    });
    return out;
  }
  if (!bucket.startsWith(BUCKET_PREFIX)) {
    out.add({
      id: 'bucket-prefix', where,
      problem: `s3_bucket "${bucket}" does not start with ${BUCKET_PREFIX}, and the deployment policy only lets the user use buckets named ${BUCKET_PREFIX}*`,
      fix: setup,
    });
    return out;
  }
  const valid = validateBucketName(bucket);
  if (valid !== true) {
    out.add({id: 'bucket-invalid', where, problem: `s3_bucket ${valid}`, fix: setup});
    return out;
  }
  const ownership = out.value(facts.ownership, `owner of bucket ${bucket}`);
  if (ownership === 'taken') {
    out.add({
      id: 'bucket-taken', where: `S3 bucket ${bucket}`,
      problem: 'belongs to another AWS account, so Zappa cannot upload to it',
      fix: `${setup} (picks a new ${BUCKET_PREFIX}… name with a random suffix)`,
    });
  } else if (typeof ownership === 'object') {
    out.add({
      id: 'bucket-other-region', where: `S3 bucket ${bucket}`,
      problem: `${bucketRegionProblem(ownership.elsewhere, facts.region ?? "the stage's aws_region")}, so Zappa cannot deploy from it`,
      fix: `${setup} (picks a new ${BUCKET_PREFIX}… name, created in the stage's region on the first deploy)`,
    });
  } else if (ownership !== 'ours' && !hasRandomSuffix(bucket)) {
    // A bucket this account already owns is fine whatever its name.
    out.add({
      id: 'bucket-suffix', where,
      problem: `s3_bucket "${bucket}" has no random suffix; bucket names are shared by all AWS accounts, so a plain name is often taken by someone else`,
      fix: `remove s3_bucket from the stage and run ${setup}, which picks ${BUCKET_PREFIX}<project>-<random>`,
      // Free today, so setup keeps it and Zappa will create it: a risk, not a failure.
      severity: 'warning',
    });
  }
  return out;
}
