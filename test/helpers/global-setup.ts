import type {TestProject} from 'vitest/node';
import {startMotoServer} from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared moto_server, e.g. `http://127.0.0.1:41234`. */
    motoUrl: string;
  }
}

/**
 * vitest globalSetup: starts one moto_server for the whole run, provides its
 * URL as `motoUrl`, and returns a teardown that stops it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Test files that build SDK clients in-process would each print the SDK's
  // Node 20 deprecation warning; workers inherit this variable from here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const moto = await startMotoServer();
  project.provide('motoUrl', moto.url);

  // Backstop for an aborted run that skips teardown: exit handlers must be
  // synchronous, and a signal to the process group is.
  const onExit = () => moto.kill();
  process.once('exit', onExit);

  return async () => {
    process.off('exit', onExit);
    await moto.stop();
  };
}
