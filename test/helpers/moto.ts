import {inject} from 'vitest';

/**
 * Dummy administrator credentials for moto. moto accepts any key while IAM
 * enforcement is off; the values only need the right shape. Both region
 * variables are set because the AWS CLI v1 reads AWS_DEFAULT_REGION and the
 * JS SDK v3 reads AWS_REGION.
 */
export const ADMIN_ENV: Readonly<Record<string, string>> = Object.freeze({
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'moto-dummy-secret-not-a-real-key',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
});

/** Base URL (`http://127.0.0.1:<port>`) of the moto_server started by global-setup.ts. */
export function motoUrl(): string {
  return inject('motoUrl');
}

/**
 * Wipes every moto backend (users, roles, policies, buckets…) and turns IAM
 * enforcement back off, so one test's state or auth mode never leaks into the
 * next: `/moto-api/reset` alone keeps the auth counter.
 */
export async function resetMoto(url: string): Promise<void> {
  await motoApi(url, 'reset');
  await disableIamAuth(url);
}

/**
 * Turns on IAM enforcement (signatures and identity policies) after
 * `freeCalls` more unauthenticated calls. The free calls are how a test
 * bootstraps an admin user before enforcement starts.
 */
export async function enableIamAuth(url: string, freeCalls = 0): Promise<void> {
  await motoApi(url, 'reset-auth', String(freeCalls));
}

/** Turns IAM enforcement off again (an infinite number of free calls). */
export async function disableIamAuth(url: string): Promise<void> {
  await motoApi(url, 'reset-auth', 'inf');
}

async function motoApi(url: string, path: string, body?: string): Promise<void> {
  const response = await fetch(`${url}/moto-api/${path}`, {
    method: 'POST',
    // Not form-encoded on purpose: Flask would parse a form body into
    // request.form and moto would then read an empty request.data.
    headers: {'content-type': 'text/plain'},
    body,
  });
  if (!response.ok) {
    throw new Error(`POST /moto-api/${path} failed: HTTP ${response.status} ${await response.text()}`);
  }
}
