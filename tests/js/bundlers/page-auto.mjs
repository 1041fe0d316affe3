// The page for bundlers that copy the file of `new URL(file, import.meta.url)` (Vite,
// webpack 5): `ready()` with no argument finds the module the bundler emitted.
import { check } from './check.mjs';

window.__done = check();
