/**
 * The per-test set-up of the suites that run the wizard against moto: an
 * empty moto and a new sandbox before every test, and after it the proxies
 * the test started closed and the sandbox removed.
 */
import {afterEach, beforeEach} from 'vitest';
import {startAwsProxy, type AwsProxy, type AwsProxyOptions} from './aws-proxy.js';
import {motoUrl, resetMoto} from './moto.js';
import {makeSandbox, type Sandbox} from './sandbox.js';

/** What a test reaches through {@link eachTestWithSandbox}. */
export interface PerTest {
  /** The running test's sandbox. */
  sandbox(): Sandbox;
  /** Starts a proxy in front of moto; it is closed after the test, whether it passed or not. */
  proxy(options?: Omit<AwsProxyOptions, 'target'>): Promise<AwsProxy>;
}

/**
 * Registers, in the calling file or describe block, hooks that give every
 * test an empty moto (IAM enforcement off) and a new sandbox, and that close
 * the test's proxies and remove its sandbox afterwards.
 */
export function eachTestWithSandbox(): PerTest {
  let current: Sandbox | undefined;
  // Several proxies per test are allowed, e.g. a slow one and a failing one.
  let proxies: AwsProxy[] = [];
  beforeEach(async () => {
    await resetMoto(motoUrl());
    current = makeSandbox();
  });
  afterEach(async () => {
    const started = proxies;
    proxies = [];
    await Promise.all(started.map((proxy) => proxy.close()));
    current?.cleanup();
    current = undefined;
  });
  return {
    sandbox() {
      if (!current) throw new Error('sandbox() is only available inside a test (after beforeEach).');
      return current;
    },
    async proxy(options = {}) {
      const proxy = await startAwsProxy({...options, target: motoUrl()});
      proxies.push(proxy);
      return proxy;
    },
  };
}
