import { rootSpanTests } from './sdk-roots.mjs';

rootSpanTests('stream');
