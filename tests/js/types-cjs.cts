// Type-checks the CommonJS types (index.d.cts, what `require('tracesieve')` gets under
// `module: nodenext`): the named exports, and no default export.
import tracesieve = require('tracesieve');

const sampler: tracesieve.TracesSampler = tracesieve.createTracesSampler({ defaultRate: 1 });
const rate: number = sampler({ name: 'GET /' });
const file = tracesieve.recordToFile('roots.jsonl');
// @ts-expect-error: require('tracesieve') has no `default`.
void tracesieve.default;
void [rate, file, tracesieve.version, tracesieve.PolicyError];
