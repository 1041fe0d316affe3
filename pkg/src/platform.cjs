'use strict';
// Which optional dependency of tracesieve holds the native addon for this process. The
// napi-rs convention: one package per platform, `tracesieve-<platform>-<arch>-<abi>` (abi
// `gnu` or `musl` on Linux), whose main file is `tracesieve.<platform>-<arch>-<abi>.node`.
// The packages tracesieve ships are its `optionalDependencies`: package managers install
// only the one whose `os`, `cpu` and `libc` fit the machine.

const { readFileSync } = require('node:fs');
const { optionalDependencies } = require('../package.json');

/**
 * Whether this Linux process runs on musl (Alpine, say) rather than glibc. As napi-rs
 * detects it: `/usr/bin/ldd` (a short script) names musl on musl systems; where there is
 * none, glibc's version in the process report (`header.glibcVersionRuntime`) says glibc.
 * The report costs milliseconds, so it is only the second resort.
 * @returns {boolean}
 */
function isMusl() {
  try {
    return readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
  } catch {
    const report = process.report;
    if (typeof report?.getReport !== 'function') return false;
    const excludeNetwork = report.excludeNetwork;
    report.excludeNetwork = true;
    try {
      return !report.getReport().header?.glibcVersionRuntime;
    } finally {
      report.excludeNetwork = excludeNetwork;
    }
  }
}

/**
 * The package of the native addon for a platform, an architecture and (on Linux) a C
 * library, and the addon's file name in it; null where tracesieve ships none.
 * @param {string} [platform] `process.platform` by default
 * @param {string} [arch] `process.arch` by default
 * @param {boolean} [musl] detected on Linux by default (ignored elsewhere)
 * @returns {{ name: string, file: string } | null}
 */
function nativeAddon(platform = process.platform, arch = process.arch, musl = platform === 'linux' && isMusl()) {
  const abi = platform === 'linux' ? (musl ? '-musl' : '-gnu') : '';
  const name = `tracesieve-${platform}-${arch}${abi}`;
  return Object.hasOwn(optionalDependencies, name) ? { name, file: `tracesieve.${platform}-${arch}${abi}.node` } : null;
}

module.exports = { isMusl, nativeAddon };
