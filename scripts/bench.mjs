// `npm run bench`: the benchmark is TypeScript (scripts/bench/), run through
// tsx so it can share the test harness's request classifier. Only the
// benchmark itself goes through tsx; what it measures is the built CLI.
import {register} from 'tsx/esm/api';

register();
await import('./bench/main.ts');
