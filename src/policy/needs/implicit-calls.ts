/**
 * Permissions AWS checks on the deployer that no Zappa call names, in the
 * call data's own shape (src/policy/data/zappa-calls.json), so the proof and
 * both presets treat them like Zappa's calls. Each entry says where the fact
 * comes from. Most implicit checks are already in the data as `aws-side`
 * entries (VPC ec2:Describe*, iam:PassRole); these are the ones it lacks.
 */

/** One implicit check: for these commands, under these triggers. */
export interface ImplicitCall {
  commands: string[];
  action: string;
  resource: string;
  if: string[];
  certainty: 'aws-side';
  source: string;
}

export const IMPLICIT_CALLS: readonly ImplicitCall[] = [
  {
    // GetFunction on a function with tags also needs lambda:ListTags.
    commands: ['deploy', 'update', 'status'],
    action: 'lambda:ListTags',
    resource: 'arn:aws:lambda:${Region}:${Account}:function:${Project}-${Stage}',
    if: ['tags'],
    certainty: 'aws-side',
    source: 'docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html',
  },
];
