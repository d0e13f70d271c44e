import {USER_STEP_IDS as STEP_IDS, type StepId} from '../../src/plan/types.js';
import {createChecklistStore, initialChecklist, reduceChecklist, type ChecklistEvent, type ChecklistState} from '../../src/ui/checklist-state.js';

/** Titles as the steps name them for user serverless, stage dev of demo-app. */
export const TITLES: Record<(typeof STEP_IDS)[number], string> = {
  'identity': 'Admin identity in account 123456789012',
  'user': 'IAM user serverless',
  'access-key': 'Access key for serverless',
  'credentials-file': '[serverless] in the credentials file',
  'config-file': '[profile serverless] in the config file',
  'zappa-settings': 'Stage "dev" of zappa_settings.json',
  'deployment-policy': 'Policy ZappaLambdaDeploymentPolicy',
  'deployment-policy-attached': 'ZappaLambdaDeploymentPolicy attached to serverless',
  'execution-policy': 'Policy ZappaLambdaExecutionPolicy',
  'execution-role': 'Execution role demo-app-dev-ZappaLambdaExecutionRole',
  'execution-policy-attached': 'ZappaLambdaExecutionPolicy attached to the role',
  'verify': 'Key works as serverless',
};

export const ITEMS = STEP_IDS.map((id) => ({id, title: TITLES[id]}));

/** The checklist after `events`, with time advancing 10 ms per event from 1000. */
export function stateAfter(events: ChecklistEvent[]): ChecklistState {
  let now = 1000;
  return events.reduce((s, e) => reduceChecklist(s, e, (now += 10)), initialChecklist(ITEMS, 1000));
}

/** A store whose clock the test controls. */
export function testStore() {
  let now = 1000;
  const store = createChecklistStore(initialChecklist(ITEMS, now), () => now);
  return {store, advance: (ms: number) => (now += ms)};
}

/** The events of a first run in which every step succeeds. */
export function successEvents(): ChecklistEvent[] {
  const details: Partial<Record<StepId, [('created' | 'updated' | 'unchanged'), string]>> = {
    'identity': ['unchanged', 'signed in as arn:aws:sts::123456789012:user/admin'],
    'user': ['created', 'arn:aws:iam::123456789012:user/serverless'],
    'access-key': ['created', 'new key AKIA…WXYZ written to [serverless]'],
    'credentials-file': ['created', 'wrote the new key to [serverless] in ~/.aws/credentials (mode 0600)'],
    'config-file': ['created', 'added [profile serverless] with region us-east-1 to ~/.aws/config'],
    'zappa-settings': ['updated', 'profile_name: missing → "serverless", manage_roles: missing → false, role_name: missing → "demo-app-dev-ZappaLambdaExecutionRole", s3_bucket: missing → "zappa-demo-app-4hs8d0q2mz"'],
    'deployment-policy': ['created', 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy'],
    'deployment-policy-attached': ['created', 'attached'],
    'execution-policy': ['created', 'arn:aws:iam::123456789012:policy/ZappaLambdaExecutionPolicy'],
    'execution-role': ['created', 'arn:aws:iam::123456789012:role/demo-app-dev-ZappaLambdaExecutionRole'],
    'execution-policy-attached': ['unchanged', 'already attached'],
    'verify': ['created', 'answers as arn:aws:iam::123456789012:user/serverless after 4 s'],
  };
  return STEP_IDS.flatMap((id): ChecklistEvent[] => {
    const [status, detail] = details[id]!;
    return [{type: 'step-started', id}, {type: 'step-finished', id, status, detail, ms: 120}];
  });
}

export const SUMMARY = {
  stage: 'dev',
  profile: 'serverless',
  files: [
    {path: '/home/me/.aws/credentials', status: 'created' as const},
    {path: '/home/me/project/zappa_settings.json', status: 'updated' as const, backup: '/home/me/project/zappa_settings.json.bak'},
  ],
};
