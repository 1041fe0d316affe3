import { rootSpanTests } from './sdk-roots.mjs';

rootSpanTests('static');
