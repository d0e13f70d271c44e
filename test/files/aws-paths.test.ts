import {describe, expect, it} from 'vitest';
import {awsFilePaths} from '../../src/files/aws-paths.js';
import {UserError} from '../../src/errors.js';

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
  ])('%s', (_name, env, expected) => {
    expect(awsFilePaths(env, HOME)).toEqual(expected);
  });

  // Issue 16, item 6: a relative path would put the secret in the current folder, the Zappa project.
  it.each([
    ['an empty HOME', {}, '', /^HOME is empty, so the AWS credentials file would be written inside the current folder/, /Set HOME to your home folder .*or set AWS_SHARED_CREDENTIALS_FILE to an absolute path/],
    ['a relative HOME', {}, 'home/ana', /^HOME is "home\/ana", a relative path/, /AWS_SHARED_CREDENTIALS_FILE/],
    ['~ under an empty HOME', {AWS_SHARED_CREDENTIALS_FILE: '~/creds'}, '', /^HOME is empty/, /AWS_SHARED_CREDENTIALS_FILE/],
    ['a relative AWS_SHARED_CREDENTIALS_FILE', {AWS_SHARED_CREDENTIALS_FILE: '.aws/credentials'}, HOME, /^AWS_SHARED_CREDENTIALS_FILE is "\.aws\/credentials", a relative path/, /Set AWS_SHARED_CREDENTIALS_FILE to an absolute path/],
    ['a relative AWS_CONFIG_FILE', {AWS_CONFIG_FILE: 'conf/aws'}, HOME, /^AWS_CONFIG_FILE is "conf\/aws", a relative path/, /Set AWS_CONFIG_FILE to an absolute path/],
    ['~user, which is not expanded, so relative', {AWS_CONFIG_FILE: '~bob/config'}, HOME, /^AWS_CONFIG_FILE is "~bob\/config", a relative path/, /AWS_CONFIG_FILE/],
  ])('refuses %s (exit 2), naming the variable to set', (_name, env, home, message, hint) => {
    let thrown: unknown;
    try {
      awsFilePaths(env, home);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).exitCode).toBe(2);
    expect((thrown as UserError).message).toMatch(message);
    expect((thrown as UserError).hint).toMatch(hint);
  });

  it('accepts an empty HOME when both variables are absolute', () => {
    expect(awsFilePaths({AWS_SHARED_CREDENTIALS_FILE: '/s/creds', AWS_CONFIG_FILE: '/s/config'}, '')).toEqual({credentials: '/s/creds', config: '/s/config'});
  });

  it('ignores other AWS variables, like AWS_PROFILE', () => {
    expect(awsFilePaths({AWS_PROFILE: 'other', HOME: '/elsewhere'}, HOME).config).toBe('/home/ana/.aws/config');
  });
});
