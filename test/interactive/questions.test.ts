import {isSupportedRuntime, suggestRuntime} from '../../src/plan/runtimes.js';
import {describe, expect, it} from 'vitest';
import {parseArgs} from '../../src/args.js';
import type {BucketOwnership} from '../../src/aws/port.js';
import type {AdminChoice, SignedIn} from '../../src/app/interactive/preflight.js';
import {askAdmin, askAnswers, askStages, regionChoices, type AnswerContext, type Narrator} from '../../src/app/interactive/questions.js';
import {ENTER, ScriptedPrompter, type Expectation} from './scripted-prompter.js';

function narrator(): Narrator & {lines: string[]} {
  const lines: string[] = [];
  return {lines, paragraph: (t) => lines.push(t), line: (t) => lines.push(t)};
}

function context(settings: Record<string, Record<string, unknown>>, overrides: Partial<AnswerContext> = {}, argv: string[] = []): AnswerContext {
  return {
    options: parseArgs(argv),
    settings,
    stages: Object.keys(settings),
    configRegion: () => undefined,
    bucketOwnership: async (): Promise<BucketOwnership> => 'free',
    ...overrides,
  };
}

const ENTER_EVERYWHERE: Expectation[] = [
  {kind: 'input', message: 'IAM user', answers: [ENTER]},
  {kind: 'select', message: 'Region', answers: [ENTER]},
  {kind: 'input', message: 'Execution role', answers: [ENTER]},
  {kind: 'input', message: 'bucket', answers: [ENTER]},
];

describe('the questions', () => {
  it('completes with every default when Enter is pressed at each question', async () => {
    const prompter = new ScriptedPrompter(ENTER_EVERYWHERE);
    const say = narrator();
    const answers = await askAnswers(context({dev: {project_name: 'demo-app', aws_region: 'eu-west-1', runtime: 'python3.12'}}), prompter, say);
    prompter.done();
    expect(answers).toMatchObject({
      stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless',
      region: 'eu-west-1', roleName: 'demo-app-dev-ZappaLambdaExecutionRole',
    });
    expect(answers.bucket).toMatch(/^zappa-demo-app-[a-z0-9]{10}$/);
    expect(answers.runtime).toBeUndefined();
    // The stage was not asked: the file has only one; the answer is still shown.
    expect(say.lines).toContain('✔ Stage: dev  (the only stage in zappa_settings.json)');
    // Explanations come before the questions they belong to.
    expect(say.lines.join('\n')).toMatch(/least privilege/);
    expect(say.lines.join('\n')).toMatch(/API Gateway, which calls the function/);
  });

  it('offers the three recommended regions first, with their place names, and highlights the current one', async () => {
    const prompter = new ScriptedPrompter(ENTER_EVERYWHERE);
    await askAnswers(context({dev: {project_name: 'demo-app', aws_region: 'ap-northeast-1'}}), prompter, narrator());
    const region = prompter.asked.find((q) => q.kind === 'select')!;
    expect(region.default).toBe('ap-northeast-1');
    expect(region.choices!.slice(0, 3)).toEqual([
      'us-east-1       US East (N. Virginia)  (recommended)',
      'eu-west-1       Europe (Ireland)  (recommended)',
      'ap-northeast-1  Asia Pacific (Tokyo)  (recommended)',
    ]);
    expect(region.choices!.at(-1)).toBe('Another region (type its name)');
    expect(region.answer).toBe('ap-northeast-1');
  });

  it('lists a region from the files that it does not know at the top', () => {
    expect(regionChoices('xx-new-9')[0]).toMatchObject({value: 'xx-new-9', short: 'xx-new-9'});
    expect(regionChoices('eu-west-1')[0]!.value).toBe('us-east-1');
  });

  it('takes role and bucket already in the settings as the defaults', async () => {
    const prompter = new ScriptedPrompter(ENTER_EVERYWHERE);
    const answers = await askAnswers(context({dev: {
      project_name: 'demo-app', role_name: 'shared-ZappaLambdaExecutionRole', s3_bucket: 'zappa-mine-4hs8d0q2mz',
    }}), prompter, narrator());
    expect(prompter.asked.map((q) => q.default)).toEqual(['serverless', 'us-east-1', 'shared-ZappaLambdaExecutionRole', 'zappa-mine-4hs8d0q2mz']);
    expect(answers).toMatchObject({roleName: 'shared-ZappaLambdaExecutionRole', bucket: 'zappa-mine-4hs8d0q2mz'});
  });

  it('proposes a fixed role name and a new bucket when the settings hold ones that would not work', async () => {
    const prompter = new ScriptedPrompter(ENTER_EVERYWHERE);
    const say = narrator();
    const answers = await askAnswers(context({dev: {project_name: 'demo-app', role_name: 'my-role', s3_bucket: 'my-bucket'}}), prompter, say);
    expect(answers.roleName).toBe('my-role-ZappaLambdaExecutionRole');
    expect(answers.bucket).toMatch(/^zappa-my-bucket-[a-z0-9]{10}$/);
    expect(say.lines).toContainEqual(expect.stringMatching(/^! Your settings say role_name "my-role": .*Suggesting "my-role-ZappaLambdaExecutionRole"/));
    expect(say.lines).toContainEqual(expect.stringMatching(/^! Your settings say s3_bucket "my-bucket": the deployment policy only grants S3 on zappa-\* buckets/));
  });

  it('refuses invalid input at the prompt, saying why, and takes the corrected answer', async () => {
    const owners: Record<string, BucketOwnership> = {'zappa-someone-elses': 'taken'};
    const prompter = new ScriptedPrompter([
      {kind: 'input', message: 'IAM user', answers: ['deploy bot!', 'deploy-bot']},
      {kind: 'select', message: 'Region', answers: ['(other)']},
      {kind: 'input', message: 'Region name', answers: ['mars-1', 'eu-south-2']},
      {kind: 'input', message: 'Execution role', answers: ['my-role', 'x'.repeat(60) + '-ZappaLambdaExecutionRole', 'app-ZappaLambdaExecutionRole']},
      {kind: 'input', message: 'bucket', answers: ['My_Bucket', 'plain-bucket', 'zappa-someone-elses', 'zappa-ours-1a2b3c4d5e']},
    ]);
    const answers = await askAnswers(context({dev: {project_name: 'demo-app'}}, {bucketOwnership: async (b) => owners[b] ?? 'free'}), prompter, narrator());
    prompter.done();
    expect(answers).toMatchObject({userName: 'deploy-bot', profileName: 'deploy-bot', region: 'eu-south-2', roleName: 'app-ZappaLambdaExecutionRole', bucket: 'zappa-ours-1a2b3c4d5e'});
    const refusals = Object.fromEntries(prompter.asked.map((q) => [q.message, q.refusals]));
    expect(refusals['IAM user for deploying']).toEqual(['"deploy bot!" may only contain letters, digits and + = , . @ _ -.']);
    expect(refusals['Region name']).toEqual([expect.stringContaining('"mars-1" is not an AWS region name')]);
    expect(refusals['Execution role name']).toEqual([
      expect.stringContaining('must end with -ZappaLambdaExecutionRole'),
      expect.stringContaining('IAM allows at most 64'),
    ]);
    expect(refusals['Deployment bucket (S3)']).toEqual([
      expect.stringContaining('may only contain lowercase letters'),
      expect.stringContaining('must start with zappa-'),
      expect.stringMatching(/^"zappa-someone-elses" belongs to another AWS account; choose another name, e\.g\. zappa-demo-app-/),
    ]);
  });

  it('suggests a fresh bucket when the one in the settings belongs to another account', async () => {
    const prompter = new ScriptedPrompter(ENTER_EVERYWHERE);
    const say = narrator();
    const answers = await askAnswers(
      context({dev: {project_name: 'demo-app', s3_bucket: 'zappa-taken-9a8b7c6d5e'}}, {bucketOwnership: async (b) => (b === 'zappa-taken-9a8b7c6d5e' ? 'taken' : 'free')}),
      prompter, say,
    );
    expect(answers.bucket).not.toBe('zappa-taken-9a8b7c6d5e');
    expect(answers.bucket).toMatch(/^zappa-demo-app-[a-z0-9]{10}$/);
    expect(say.lines).toContainEqual(expect.stringContaining('The bucket "zappa-taken-9a8b7c6d5e" belongs to another AWS account'));
  });

  it('offers every stage of a file with several, all ticked, so Enter takes them all', async () => {
    const prompter = new ScriptedPrompter([{kind: 'checkbox', message: 'Which stages', answers: [ENTER]}]);
    const picked = await askStages(context({prod: {project_name: 'p'}, dev: {project_name: 'p'}}), prompter, narrator());
    expect(prompter.asked[0]).toMatchObject({default: 'prod,dev', choices: ['prod', 'dev', 'A new stage…']});
    expect(picked).toEqual(['prod', 'dev']);
  });

  it('adds a new stage when "A new stage…" is ticked, refusing a name the file has', async () => {
    const prompter = new ScriptedPrompter([
      {kind: 'checkbox', message: 'Which stages', answers: ['', 'dev,(new)']},
      {kind: 'input', message: 'Name of the new stage', answers: ['dev', 'bad name', ENTER]},
    ]);
    const picked = await askStages(context({dev: {project_name: 'p'}, qa: {project_name: 'p'}}), prompter, narrator());
    expect(prompter.asked[0]!.refusals).toEqual(['Tick at least one stage.']);
    expect(prompter.asked[1]!.refusals).toEqual(['dev is already a stage; tick it in the list instead.', expect.stringContaining('letters, digits')]);
    expect(picked).toEqual(['dev', 'prod']);
  });

  it('asks which stage when the file has several and askAnswers is asked alone, dev first', async () => {
    const prompter = new ScriptedPrompter([{kind: 'select', message: 'Which stage', answers: [ENTER]}, ...ENTER_EVERYWHERE]);
    const answers = await askAnswers(context({prod: {project_name: 'p'}, dev: {project_name: 'p'}}), prompter, narrator());
    expect(prompter.asked[0]).toMatchObject({default: 'dev', choices: ['prod', 'dev']});
    expect(answers).toMatchObject({stage: 'dev', roleName: 'p-dev-ZappaLambdaExecutionRole'});
  });

  it('does not ask what flags already answered', async () => {
    const prompter = new ScriptedPrompter([
      {kind: 'input', message: 'IAM user', answers: [ENTER]},
      {kind: 'input', message: 'bucket', answers: [ENTER]},
    ]);
    const say = narrator();
    const answers = await askAnswers(context({dev: {project_name: 'demo-app'}}, {}, ['--region', 'eu-west-1', '--role-name', 'x-ZappaLambdaExecutionRole', '--profile', 'zp']), prompter, say);
    prompter.done();
    expect(answers).toMatchObject({region: 'eu-west-1', roleName: 'x-ZappaLambdaExecutionRole', profileName: 'zp', userName: 'serverless'});
    expect(say.lines).toContain('✔ Region: eu-west-1  (--region)');
  });

  // The proposal follows Lambda's dates: the oldest runtime still supported today.
  const proposed = suggestRuntime('python3.7', new Date());
  it.each([
    [true, proposed],
    [false, undefined],
  ])('changes an unsupported runtime only when the person agrees (%s)', async (agree, expected) => {
    expect(isSupportedRuntime(proposed, new Date())).toBe(true);
    const prompter = new ScriptedPrompter([...ENTER_EVERYWHERE, {kind: 'confirm', message: `from python3.7 to ${proposed}`, answers: [agree]}]);
    const answers = await askAnswers(context({dev: {project_name: 'demo-app', runtime: 'python3.7'}}), prompter, narrator());
    prompter.done();
    expect(prompter.asked.at(-1)!.default).toBe(true);
    expect(answers.runtime).toBe(expected);
  });
});

describe('the admin-credentials question', () => {
  const identity = (name: string) => ({account: '123456789012', arn: `arn:aws:iam::123456789012:user/${name}`, partition: 'aws'});

  it('is not asked when only the default credentials exist, and says who they are', async () => {
    const choice: AdminChoice = {label: 'Default credentials (environment variables)'};
    const signedIn: SignedIn = {choice, provider: async () => ({accessKeyId: 'a', secretAccessKey: 'b'}), identity: identity('admin')};
    const say = narrator();
    const result = await askAdmin({choices: [choice], signedIn, signIn: async () => { throw new Error('not expected'); }}, new ScriptedPrompter([]), say);
    expect(result).toBe(signedIn);
    expect(say.lines).toEqual(['✔ Admin credentials: Default credentials (environment variables)\n  signed in as arn:aws:iam::123456789012:user/admin']);
  });

  it('drops a profile that fails to sign in and goes on with the next one', async () => {
    const a: AdminChoice = {profile: 'a', label: 'Profile a'};
    const b: AdminChoice = {profile: 'b', label: 'Profile b'};
    const prompter = new ScriptedPrompter([{kind: 'select', message: 'Which credentials', answers: [ENTER]}]);
    const say = narrator();
    const result = await askAdmin({
      choices: [a, b], problem: 'Default credentials did not work: no credentials.',
      signIn: async (c) => {
        if (c === a) throw new Error('The SSO session has expired');
        return {choice: c, provider: async () => ({accessKeyId: 'a', secretAccessKey: 'b'}), identity: identity('b-admin')};
      },
    }, prompter, say);
    prompter.done();
    expect(result.choice).toBe(b);
    expect(say.lines).toEqual([
      '! Default credentials did not work: no credentials.',
      '! Profile a did not work: The SSO session has expired. Choose another.',
      '✔ Signed in as arn:aws:iam::123456789012:user/b-admin (account 123456789012)',
    ]);
  });
});
