/**
 * What AWS itself refuses about a stage's settings, whatever the IAM
 * policies say: a runtime past Lambda's block dates, a feature the region
 * lacks, an edge certificate outside us-east-1. One list that setup, plan and
 * doctor all report, with the same severity and words. Pure.
 */
import {certificateProblem} from './certificate.js';
import {regionFeatureProblem} from './region-features.js';
import {runtimeProblem, runtimeStatus, suggestRuntime} from './runtimes.js';

/** A problem makes a deploy (or `zappa certify`) fail; a warning still works, for now. */
export interface StageFinding {
  id: 'runtime-blocked' | 'runtime-deprecated' | 'runtime-unknown' | 'region-function-url' | 'certificate-region';
  severity: 'problem' | 'warning';
  /** One sentence with the fix. */
  message: string;
}

export interface StageCheckInput {
  /** The stage's effective settings (extends applied). */
  settings: Record<string, unknown>;
  region: string;
  /** The runtime the stage will have: the person's choice (--runtime) or the settings'. */
  runtime?: string;
  today: Date;
}

export function stageFindings({settings, region, runtime, today}: StageCheckInput): StageFinding[] {
  const out: StageFinding[] = [];
  const rt = runtime ?? (typeof settings.runtime === 'string' && settings.runtime ? settings.runtime : undefined);
  if (rt) {
    const status = runtimeStatus(rt, today);
    const message = runtimeProblem(rt, today);
    const fix = ` Pass --runtime ${suggestRuntime(rt, today)} (or answer the walk-through's runtime question) to change it.`;
    if (message && (status.state === 'create-blocked' || status.state === 'update-blocked')) out.push({id: 'runtime-blocked', severity: 'problem', message: message + fix});
    else if (message && status.state === 'unknown') out.push({id: 'runtime-unknown', severity: 'problem', message: message + fix});
    else if (message) out.push({id: 'runtime-deprecated', severity: 'warning', message: message + fix});
  }
  const urls = settings.function_url_enabled === true || settings.function_url_enabled === 'true';
  const url = regionFeatureProblem(region, 'function-url', urls);
  if (url && urls) out.push({id: 'region-function-url', severity: 'problem', message: url});
  else if (url) out.push({id: 'region-function-url', severity: 'warning', message: url});
  const cert = settings.domain || settings.certificate_arn ? certificateProblem(settings, region) : undefined;
  if (cert) out.push({id: 'certificate-region', severity: 'problem', message: `${cert} (zappa certify would fail)`});
  return out;
}
