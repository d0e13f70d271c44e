import {describe, expect, it} from 'vitest';
import {awsFilePaths} from '../../src/files/aws-paths.js';

const HOME = '/home/ana';

describe('awsFilePaths', () => {
  it.each([
    ['no variables', {}, {credentials: '/home/ana/.aws/credentials', config: '/home/ana/.aws/config'}],
    [
      'both variables',
      {AWS_SHARED_CREDENTIALS_FILE: '/secrets/creds', AWS_CONFIG_FILE: '/etc/aws/config'},
      {credentials: '/secrets/creds', config: '/etc/aws/config'},
    ],
    [
      'paths under ~',
      {AWS_SHARED_CREDENTIALS_FILE: '~/work/credentials', AWS_CONFIG_FILE: '~/work/config'},
      {credentials: '/home/ana/work/credentials', config: '/home/ana/work/config'},
    ],
    ['only the config variable', {AWS_CONFIG_FILE: '/x/config'}, {credentials: '/home/ana/.aws/credentials', config: '/x/config'}],
    ['empty variables count as unset', {AWS_SHARED_CREDENTIALS_FILE: '', AWS_CONFIG_FILE: ''}, {credentials: '/home/ana/.aws/credentials', config: '/home/ana/.aws/config'}],
    ['a relative path is kept as given', {AWS_CONFIG_FILE: 'conf/aws'}, {credentials: '/home/ana/.aws/credentials', config: 'conf/aws'}],
    ['~user is not expanded', {AWS_CONFIG_FILE: '~bob/config'}, {credentials: '/home/ana/.aws/credentials', config: '~bob/config'}],
  ])('%s', (_name, env, expected) => {
    expect(awsFilePaths(env, HOME)).toEqual(expected);
  });

  it('ignores other AWS variables, like AWS_PROFILE', () => {
    expect(awsFilePaths({AWS_PROFILE: 'other', HOME: '/elsewhere'}, HOME).config).toBe('/home/ana/.aws/config');
  });
});
