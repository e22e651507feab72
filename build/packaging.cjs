// What goes into the packaged app and what the OS associates with it, as data and small functions shared by
// electron-builder.config.cjs and test/unit/packaging-config.test.ts.
'use strict';

const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const PROJECT_ROOT = join(__dirname, '..');

/** The modules scripts/build.mjs leaves out of dist/main/main.cjs (besides electron): main require()s them. */
const NATIVE_RUNTIME_MODULES = Object.freeze(['better-sqlite3-multiple-ciphers', 'sodium-native']);

/** The envelope and card files the app opens (the same list as OPEN_FILE_EXTENSIONS in electron/security-config.ts). */
const FILE_ASSOCIATIONS = Object.freeze([
  { ext: 'hdbundle', name: 'Hearing Desk bundle', description: 'Sealed hearing bundle', mimeType: 'application/x-hearing-desk-bundle' },
  { ext: 'hdnotes', name: 'Hearing Desk shared notes', description: 'Sealed annotations shared with the panel', mimeType: 'application/x-hearing-desk-notes' },
  { ext: 'hddecision', name: 'Hearing Desk decision draft', description: 'Sealed draft of the panel decision', mimeType: 'application/x-hearing-desk-decision' },
  { ext: 'hddeclaration', name: 'Hearing Desk declaration', description: 'Sealed conflict and training declaration', mimeType: 'application/x-hearing-desk-declaration' },
  { ext: 'hdforsignature', name: 'Hearing Desk record for signature', description: 'Sealed outcome record to sign', mimeType: 'application/x-hearing-desk-forsignature' },
  { ext: 'hdsignature', name: 'Hearing Desk signature', description: 'Sealed signature on an outcome record', mimeType: 'application/x-hearing-desk-signature' },
  { ext: 'hdoutcome', name: 'Hearing Desk outcome package', description: 'Sealed outcome package for the central office', mimeType: 'application/x-hearing-desk-outcome' },
  { ext: 'hdcard', name: 'Hearing Desk participant card', description: 'Hearing Desk participant card', mimeType: 'application/x-hearing-desk-card' },
].map((association) => Object.freeze({ ...association, role: 'Viewer', rank: 'Owner' })));

/** node_modules/<name>/package.json as seen from `fromDirectory`, resolved the way Node resolves packages. */
function findPackage(name, fromDirectory) {
  for (let directory = fromDirectory; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return { directory: dirname(candidate), manifest: JSON.parse(readFileSync(candidate, 'utf8')) };
    if (dirname(directory) === directory) return null;
  }
}

/** The names of `roots` and of everything they depend on at run time (dependencies and optionalDependencies). */
function dependencyClosure(roots, fromDirectory = PROJECT_ROOT) {
  const names = new Set();
  const visit = (name, from) => {
    const found = findPackage(name, from);
    if (!found || names.has(name)) return;
    names.add(name);
    const { dependencies = {}, optionalDependencies = {} } = found.manifest;
    for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies })) visit(dependency, found.directory);
  };
  for (const root of roots) visit(root, fromDirectory);
  return names;
}

/**
 * Production dependencies that esbuild already bundled into dist/main (zod, pdf-lib, …) and everything only they
 * need. electron-builder would copy them into the asar as well; they would never be loaded.
 */
function bundledOnlyModules() {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const shipped = dependencyClosure(NATIVE_RUNTIME_MODULES);
  return [...dependencyClosure(Object.keys(manifest.dependencies ?? {}))].filter((name) => !shipped.has(name)).sort();
}

const excludeModule = (name) => `!**/node_modules/${name}{,/**/*}`;

/**
 * Prebuilt binaries for other operating systems stay out: better-sqlite3's prebuilds/<os>-<arch>.node, and the
 * prebuilds/<os>-<arch>/ folders of sodium-native and its helpers (including Android, iOS and the Bare runtime).
 */
function foreignPrebuilds(keepOs) {
  const others = ['linux', 'darwin', 'win32', 'android', 'ios'].filter((os) => os !== keepOs);
  return [
    `!**/node_modules/**/prebuilds/{${others.join(',')}}*{,/**/*}`,
    `!**/node_modules/better-sqlite3-multiple-ciphers/lib/{${others.join(',')}}*`,
    '!**/node_modules/**/prebuilds/**/*.bare',
  ];
}

module.exports = {
  PROJECT_ROOT,
  NATIVE_RUNTIME_MODULES,
  FILE_ASSOCIATIONS,
  findPackage,
  dependencyClosure,
  bundledOnlyModules,
  excludeModule,
  foreignPrebuilds,
};
