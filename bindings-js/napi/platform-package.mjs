// Writes one per-platform npm package of the native addon (the napi-rs layout), from the
// main package's manifest (pkg/package.json): its name must be one of the main package's
// `optionalDependencies`, at the main package's version (one version for every package).
//
// Usage: node platform-package.mjs <package name> <built addon (.so)> <output directory>
// The directory gets package.json (name, version, os, cpu, libc, main), README.md, both
// licenses, and the addon as `tracesieve.<platform>-<arch>-<abi>.node`.

import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, addon, out] = process.argv.slice(2);
if (!out) throw new Error('usage: node platform-package.mjs <package name> <addon .so> <output directory>');

const root = new URL('../../', import.meta.url);
const main = JSON.parse(readFileSync(new URL('pkg/package.json', root), 'utf8'));
if (main.optionalDependencies?.[name] !== main.version) {
  throw new Error(`${name} is not an optional dependency of ${main.name} at its version ${main.version}`);
}
const parts = /^tracesieve-(linux)-(x64|arm64)-(gnu|musl)$/.exec(name);
if (!parts) throw new Error(`${name}: not tracesieve-linux-<x64|arm64>-<gnu|musl>`);
const [, os, cpu, abi] = parts;
const file = `tracesieve.${os}-${cpu}-${abi}.node`;
const licenses = ['LICENSE-MIT', 'LICENSE-APACHE'];

const manifest = {
  name,
  version: main.version,
  description: `The native (napi-rs) addon of ${main.name} for ${os} ${cpu} (${abi === 'gnu' ? 'glibc' : 'musl'}); install ${main.name}, which depends on it.`,
  license: main.license,
  repository: main.repository,
  os: [os],
  cpu: [cpu],
  libc: [abi === 'gnu' ? 'glibc' : 'musl'],
  type: 'commonjs',
  main: file,
  files: [file, ...licenses],
  engines: main.engines,
};
const readme = `# ${name}

The native addon of [\`${main.name}\`](https://www.npmjs.com/package/${main.name}) for ${os} on ${cpu} with ${manifest.libc[0]}.
Do not install it yourself: \`${main.name}\` lists it in its \`optionalDependencies\`, your package
manager installs it on matching machines only, and \`${main.name}/native\` loads it (or falls back
to WebAssembly).
`;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(join(out, 'README.md'), readme);
for (const license of licenses) copyFileSync(new URL(license, root), join(out, license));
copyFileSync(addon, join(out, file));
