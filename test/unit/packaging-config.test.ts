// The packaging configuration (build/): what electron-builder is told, the fuses the afterPack hook sets, the
// icons and the macOS entitlements. The last block runs the real electron-builder (offline, `--linux dir`)
// against a stand-in Electron binary that carries a genuine fuse wire, and reads the app it produced.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_FILE_EXTENSIONS } from '../../electron/security-config';
import { FOR_SIGNATURE_EXTENSION, OUTCOME_PACKAGE_EXTENSION, SIGNATURE_EXTENSION } from '../../electron/record-handlers';
import { PACK_FILE_EXTENSION } from '../../electron/services/annotations/annotations';
import { BUNDLE_FILE_EXTENSION } from '../../electron/services/bundles/bundle-file';
import { CARD_FILE_EXTENSION } from '../../electron/services/identities';
import { DECISION_DRAFT_FILE_EXTENSION, DECLARATION_FILE_EXTENSION } from '../../shared/domain/decision-draft-file';
import { tempDir } from '../helpers/temp';

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, '..', '..');
const BUILD = join(ROOT, 'build');

interface FileAssociation { ext: string; name: string; description: string; mimeType: string; role: string }
interface BuilderConfig {
  appId: string;
  productName: string;
  executableName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  buildDependenciesFromSource: boolean;
  afterPack: string;
  fileAssociations: FileAssociation[];
  linux: { target: string[]; icon: string; files: string[] };
  win: { target: string[]; icon: string; files: string[] };
  nsis: { deleteAppDataOnUninstall: boolean; oneClick: boolean };
  mac: { target: string[]; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; files: string[] };
}
type AfterPackContext = { appOutDir: string; electronPlatformName: string; arch: number; packager: { executableName?: string; appInfo: { productFilename: string } } };
interface AfterPackModule {
  (context: AfterPackContext): Promise<void>;
  afterPack: (context: AfterPackContext) => Promise<void>;
  FUSES: Record<string, boolean>;
  packagedElectronPath: (context: AfterPackContext) => string;
}

const config = require(join(BUILD, 'electron-builder.config.cjs')) as BuilderConfig;
const packaging = require(join(BUILD, 'packaging.cjs')) as {
  NATIVE_RUNTIME_MODULES: readonly string[];
  bundledOnlyModules: () => string[];
  dependencyClosure: (roots: readonly string[]) => Set<string>;
};
const icons = require(join(BUILD, 'make-icons.cjs')) as { ICON_SIZES: readonly number[]; renderIcon: (size: number) => Buffer; crc32: (bytes: Uint8Array) => number };

// The fuse wire as Electron compiles it in (see @electron/fuses): a sentinel, the wire version, its length,
// then one byte per fuse: '0' off, '1' on, 'r' removed.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_ORDER = [
  'RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges', 'WasmTrapHandlers',
];
/** Electron 45's defaults: everything permissive that the hook must change. */
const ELECTRON_DEFAULT_WIRE = '101100011';

function fakeElectronBinary(path: string, wire = ELECTRON_DEFAULT_WIRE): void {
  writeFileSync(path, Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\n'),
    Buffer.alloc(4096, 0xcc),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire, 'latin1'),
    Buffer.alloc(4096, 0xcc),
  ]));
  chmodSync(path, 0o755);
}

function readFuses(path: string): Record<string, string> {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(FUSE_SENTINEL);
  expect(at).toBeGreaterThan(0);
  const length = bytes[at + FUSE_SENTINEL.length + 1]!;
  const wire = bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + length).toString('latin1');
  return Object.fromEntries(FUSE_ORDER.slice(0, length).map((name, index) => [name, wire[index]!]));
}

interface DecodedPng { width: number; height: number; bitDepth: number; colourType: number; chunks: string[] }

/** A strict reader: signature, chunk order, every CRC, IHDR fields, and the inflated image data's exact size. */
function decodePng(bytes: Buffer): DecodedPng {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let offset = 8;
  let header: Buffer | null = null;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    const crc = bytes.readUInt32BE(offset + 8 + length);
    // An independent CRC check: zlib's crc32 (Node 22.2+), not the generator's own.
    const zlib = require('node:zlib') as { crc32?: (data: Uint8Array) => number };
    const expected = zlib.crc32 ? zlib.crc32(bytes.subarray(offset + 4, offset + 8 + length)) : icons.crc32(bytes.subarray(offset + 4, offset + 8 + length));
    expect(crc, `CRC of ${type}`).toBe(expected);
    chunks.push(type);
    if (type === 'IHDR') header = Buffer.from(data);
    if (type === 'IDAT') idat.push(Buffer.from(data));
    offset += 12 + length;
  }
  expect(offset).toBe(bytes.length);
  expect(chunks[0]).toBe('IHDR');
  expect(chunks.at(-1)).toBe('IEND');
  expect(header).not.toBeNull();
  const width = header!.readUInt32BE(0);
  const height = header!.readUInt32BE(4);
  const bitDepth = header![8]!;
  const colourType = header![9]!;
  expect([header![10], header![11], header![12]]).toEqual([0, 0, 0]);
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (1 + width * 4));
  for (let row = 0; row < height; row++) expect(raw[row * (1 + width * 4)]).toBeLessThanOrEqual(4);
  return { width, height, bitDepth, colourType, chunks };
}

/** The file list of an asar archive (its header is a length-prefixed JSON tree). */
function asarFiles(archive: string): { packed: string[]; unpacked: string[] } {
  const bytes = readFileSync(archive);
  const jsonLength = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + jsonLength).toString('utf8')) as AsarDirectory;
  const packed: string[] = [];
  const unpacked: string[] = [];
  const walk = (directory: AsarDirectory, prefix: string) => {
    for (const [name, entry] of Object.entries(directory.files)) {
      const path = `${prefix}${name}`;
      if ('files' in entry) walk(entry, `${path}/`);
      else (entry.unpacked ? unpacked : packed).push(path);
    }
  };
  walk(header, '');
  return { packed, unpacked };
}
type AsarDirectory = { files: Record<string, AsarDirectory | { size: number; unpacked?: boolean }> };

describe('electron-builder configuration', () => {
  it('names the app', () => {
    expect(config.appId).toBe('org.hearingdesk.app');
    expect(config.productName).toBe('Hearing Desk');
    expect(config.executableName).toBe('hearing-desk');
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))).toMatchObject({
      main: 'dist/main/main.cjs',
      scripts: { dist: 'npm run build && electron-builder --config build/electron-builder.config.cjs' },
    });
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, a hardened dmg for macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    // An uninstall must never take the encrypted vault with it.
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false);
  });

  it('signs macOS builds with only the JIT entitlement V8 needs', () => {
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(join(ROOT, config.mac.entitlements), 'utf8');
    expect(plist).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist/);
    const granted = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)]
      .filter((match) => match[2] === 'true')
      .map((match) => match[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('uses the committed icons: 512 px for macOS and Windows, the icon folder for Linux', () => {
    expect(config.mac.icon).toBe('build/icons/512x512.png');
    expect(config.win.icon).toBe('build/icons/512x512.png');
    expect(config.linux.icon).toBe('build/icons');
    expect(readdirSync(join(ROOT, config.linux.icon)).sort()).toEqual(['256x256.png', '512x512.png']);
  });

  it('associates exactly the files the app opens, the sealed envelope kinds and cards included', () => {
    const extensions = config.fileAssociations.map((association) => association.ext);
    expect([...extensions].sort()).toEqual([...OPEN_FILE_EXTENSIONS].sort());
    // Exactly the files the app writes: a file it saves can always be double-clicked back into it.
    const written = [BUNDLE_FILE_EXTENSION, PACK_FILE_EXTENSION, DECISION_DRAFT_FILE_EXTENSION, DECLARATION_FILE_EXTENSION, FOR_SIGNATURE_EXTENSION, SIGNATURE_EXTENSION, OUTCOME_PACKAGE_EXTENSION, CARD_FILE_EXTENSION];
    expect([...extensions].sort()).toEqual([...written].sort());
    for (const association of config.fileAssociations) {
      expect(association.name).toMatch(/^Hearing Desk /);
      expect(association.mimeType).toMatch(/^application\/x-hearing-desk-[a-z]+$/);
      expect(association.role).toBe('Viewer');
    }
    expect(new Set(config.fileAssociations.map((association) => association.mimeType)).size).toBe(extensions.length);
  });

  it('never rebuilds or compiles native modules: their Node-API prebuilds load in Electron as they are', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('packs into app.asar and unpacks the native binaries of both native modules', () => {
    expect(config.asar).toBe(true);
    // electron-builder embeds the asar hash that the EnableEmbeddedAsarIntegrityValidation fuse checks.
    expect(config).not.toHaveProperty('disableAsarIntegrity');
    expect(config.asarUnpack).toEqual([
      '**/node_modules/better-sqlite3-multiple-ciphers/**/*.node',
      '**/node_modules/sodium-native/**/*.node',
    ]);
  });

  it('treats as native runtime modules exactly what scripts/build.mjs leaves out of the main bundle', () => {
    const buildScript = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    const externals = JSON.parse(buildScript.match(/const nativeAndShell = (\[[^\]]*\])/)![1]!.replace(/'/g, '"')) as string[];
    expect([...packaging.NATIVE_RUNTIME_MODULES].sort()).toEqual(externals.filter((name) => name !== 'electron').sort());
  });

  it('bundles the ledger’s verify worker beside main and the CLI, and leaves it packed (Electron starts workers from app.asar)', () => {
    const buildScript = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    for (const outfile of ['dist/main/verify-worker.cjs', 'dist/cli/verify-worker.cjs']) {
      expect(buildScript).toContain(`entryPoints: ['electron/services/records/verify-worker.ts'], outfile: '${outfile}', external: nativeAndShell`);
    }
    // Only the native binaries are unpacked: the worker, which handles the office's secret key, stays in the archive
    // whose header the asar integrity fuse checks.
    expect(config.asarUnpack.every((pattern) => pattern.endsWith('.node'))).toBe(true);
  });

  it('ships dist/main, dist/renderer and package.json, and leaves out the dependencies bundled into main', () => {
    for (const files of [config.files, config.linux.files, config.win.files, config.mac.files]) {
      expect(files.slice(0, 3)).toEqual(['dist/main/**/*', 'dist/renderer/**/*', 'package.json']);
      expect(files.filter((pattern) => !pattern.startsWith('!'))).toHaveLength(3);
      expect(files.join('\n')).not.toContain('dist/test');
      // A platform's files replace the top-level list: each must carry every top-level rule.
      expect(files.slice(0, config.files.length)).toEqual(config.files);
    }
    const bundledOnly = packaging.bundledOnlyModules();
    expect(bundledOnly).toEqual(expect.arrayContaining(['zod', 'pdf-lib', '@scure/base']));
    const needed = packaging.dependencyClosure(packaging.NATIVE_RUNTIME_MODULES);
    for (const name of bundledOnly) {
      expect(needed.has(name), name).toBe(false);
      expect(config.files).toContain(`!**/node_modules/${name}{,/**/*}`);
    }
  });

  it('keeps other operating systems’ prebuilt binaries out of each platform’s package', () => {
    expect(config.linux.files.join('\n')).toMatch(/prebuilds\/\{darwin,win32,android,ios\}/);
    expect(config.win.files.join('\n')).toMatch(/prebuilds\/\{linux,darwin,android,ios\}/);
    expect(config.mac.files.join('\n')).toMatch(/prebuilds\/\{linux,win32,android,ios\}/);
  });
});

describe('icons', () => {
  it.each([...icons.ICON_SIZES])('the %i px icon is a valid 8-bit RGBA PNG of that size', (size) => {
    const png = decodePng(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`)));
    expect(png).toMatchObject({ width: size, height: size, bitDepth: 8, colourType: 6 });
    expect(png.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('stores exactly what build/make-icons.cjs draws', () => {
    expect(icons.ICON_SIZES).toEqual([512, 256]);
    for (const size of icons.ICON_SIZES) {
      expect(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`)).equals(icons.renderIcon(size)), `${size}`).toBe(true);
    }
  });

  it('has transparent corners and an opaque centre', () => {
    const size = 256;
    const png = readFileSync(join(BUILD, 'icons', `${size}x${size}.png`));
    const idat = png.subarray(png.indexOf('IDAT') + 4, png.lastIndexOf('IEND') - 8);
    const raw = inflateSync(idat);
    const alphaAt = (x: number, y: number) => raw[y * (1 + size * 4) + 1 + x * 4 + 3];
    expect(alphaAt(0, 0)).toBe(0);
    expect(alphaAt(size - 1, size - 1)).toBe(0);
    expect(alphaAt(size / 2, size / 2)).toBe(255);
  });
});

describe('afterPack hook: Electron fuses', () => {
  const hook = require(config.afterPack) as AfterPackModule;
  let work: ReturnType<typeof tempDir>;

  beforeAll(() => {
    work = tempDir('hd-fuses-');
  });
  afterAll(() => work.cleanup());

  const linuxContext = (appOutDir: string): AfterPackContext => ({
    appOutDir,
    electronPlatformName: 'linux',
    arch: 1,
    packager: { executableName: 'hearing-desk', appInfo: { productFilename: 'Hearing Desk' } },
  });

  it('is build/after-pack.cjs and exports the hook function', () => {
    expect(config.afterPack).toBe(join(BUILD, 'after-pack.cjs'));
    expect(existsSync(config.afterPack)).toBe(true);
    expect(typeof hook).toBe('function');
    expect(hook.afterPack).toBe(hook);
  });

  it('declares the fuse settings', () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('finds the packaged binary where electron-builder puts it on each platform', () => {
    const base = { appOutDir: '/out', arch: 1, packager: { executableName: 'hearing-desk', appInfo: { productFilename: 'Hearing Desk' } } };
    expect(hook.packagedElectronPath({ ...base, electronPlatformName: 'linux' })).toBe('/out/hearing-desk');
    expect(hook.packagedElectronPath({ ...base, electronPlatformName: 'win32' })).toBe('/out/Hearing Desk.exe');
    expect(hook.packagedElectronPath({ ...base, electronPlatformName: 'darwin' })).toBe('/out/Hearing Desk.app');
    expect(() => hook.packagedElectronPath({ ...base, electronPlatformName: 'freebsd' })).toThrow(/does not package for "freebsd"/);
  });

  it('flips every fuse in the binary and leaves the others as Electron set them', async () => {
    const appOutDir = join(work.path, 'flip');
    mkdirSync(appOutDir);
    fakeElectronBinary(join(appOutDir, 'hearing-desk'));
    await hook(linuxContext(appOutDir));
    expect(readFuses(join(appOutDir, 'hearing-desk'))).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '0',
      GrantFileProtocolExtraPrivileges: '0',
      WasmTrapHandlers: '1',
    });
  });

  it('fails the build, and leaves the binary as it was, when its fuse wire lacks a fuse to set', async () => {
    const appOutDir = join(work.path, 'short-wire');
    mkdirSync(appOutDir);
    const binary = join(appOutDir, 'hearing-desk');
    fakeElectronBinary(binary, '1011'); // an Electron from before asar integrity and OnlyLoadAppFromAsar existed
    const before = readFileSync(binary);
    await expect(hook(linuxContext(appOutDir))).rejects.toThrow(/not long enough/);
    expect(readFileSync(binary).equals(before)).toBe(true);
  });

  it('fails the build on a binary without a fuse wire', async () => {
    const appOutDir = join(work.path, 'no-wire');
    mkdirSync(appOutDir);
    writeFileSync(join(appOutDir, 'hearing-desk'), 'not electron');
    await expect(hook(linuxContext(appOutDir))).rejects.toThrow(/sentinel/);
  });
});

describe('electron-builder run (offline: --linux dir with a stand-in Electron binary)', () => {
  let work: ReturnType<typeof tempDir>;
  let appOutDir: string;
  let archive: { packed: string[]; unpacked: string[] };

  beforeAll(() => {
    const builtFiles = ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html'];
    const missing = builtFiles.filter((file) => !existsSync(join(ROOT, file)));
    if (missing.length > 0) throw new Error(`This test packages the build, and ${missing.join(', ')} is missing. Run \`npm run build\` first.`);

    work = tempDir('hd-package-');
    const electronDist = join(work.path, 'electron-dist');
    mkdirSync(electronDist);
    fakeElectronBinary(join(electronDist, 'electron'));
    writeFileSync(join(electronDist, 'LICENSE'), 'stand-in');
    const result = spawnSync(
      process.execPath,
      [
        require.resolve('electron-builder/cli.js'),
        '--config', 'build/electron-builder.config.cjs',
        '--linux', 'dir',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${join(work.path, 'release')}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, CI: 'true' } },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    appOutDir = join(work.path, 'release', 'linux-unpacked');
    archive = asarFiles(join(appOutDir, 'resources', 'app.asar'));
  }, 240_000);

  afterAll(() => work?.cleanup());

  it('ran the afterPack hook on the packaged binary', () => {
    expect(readFuses(join(appOutDir, 'hearing-desk'))).toMatchObject({
      RunAsNode: '0',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      EnableCookieEncryption: '1',
    });
  });

  it('put the app in app.asar: the build and package.json, no sources, tests or test bridge', () => {
    const topLevel = new Set(archive.packed.map((path) => path.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['dist', 'node_modules', 'package.json']);
    const distFiles = archive.packed.filter((path) => path.startsWith('dist/'));
    expect(distFiles).toContain('dist/main/main.cjs');
    expect(distFiles).toContain('dist/main/preload.cjs');
    expect(distFiles).toContain('dist/renderer/index.html');
    expect(distFiles.every((path) => path.startsWith('dist/main/') || path.startsWith('dist/renderer/'))).toBe(true);
  });

  it('shipped every module main.cjs requires and none of those it bundles', () => {
    const main = readFileSync(join(ROOT, 'dist', 'main', 'main.cjs'), 'utf8');
    // Module names only: bundled third-party code also builds require() strings dynamically (core-js in pdf.js).
    const required = new Set(
      [...main.matchAll(/require\("([^"]+)"\)/g)]
        .map((match) => match[1]!)
        .filter((name) => /^[@a-z0-9][\w./@-]*$/i.test(name) && !name.startsWith('node:') && name !== 'electron'),
    );
    expect([...required].sort()).toEqual([...packaging.NATIVE_RUNTIME_MODULES].sort());
    const shippedModules = new Set([...archive.packed, ...archive.unpacked].filter((path) => path.startsWith('node_modules/')).map((path) => {
      const [, first, second] = path.split('/');
      return first!.startsWith('@') ? `${first}/${second}` : first!;
    }));
    expect([...shippedModules].sort()).toEqual([...packaging.dependencyClosure(packaging.NATIVE_RUNTIME_MODULES)].filter((name) => name !== 'node-addon-api').sort());
    for (const name of packaging.bundledOnlyModules()) expect(shippedModules.has(name), name).toBe(false);
  });

  it('packed the verify worker beside main.cjs, requiring nothing but the native runtime modules', () => {
    expect(archive.packed).toContain('dist/main/verify-worker.cjs');
    expect(archive.unpacked).not.toContain('dist/main/verify-worker.cjs');
    const worker = readFileSync(join(ROOT, 'dist', 'main', 'verify-worker.cjs'), 'utf8');
    const required = new Set([...worker.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!).filter((name) => /^[@a-z0-9][\w./@-]*$/i.test(name) && !name.startsWith('node:')));
    expect([...required].every((name) => packaging.NATIVE_RUNTIME_MODULES.includes(name)), [...required].join(', ')).toBe(true);
    expect(required.has('electron')).toBe(false);
  });

  it('unpacked the Linux native binaries beside the archive and left other platforms’ out', () => {
    const natives = archive.unpacked.filter((path) => path.endsWith('.node'));
    expect(natives).toContain('node_modules/better-sqlite3-multiple-ciphers/prebuilds/linux-x64.node');
    expect(natives).toContain('node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node');
    expect(natives.every((path) => /prebuilds\/linux/.test(path))).toBe(true);
    expect(archive.packed.filter((path) => path.endsWith('.node'))).toEqual([]);
    for (const path of natives) expect(existsSync(join(appOutDir, 'resources', 'app.asar.unpacked', path)), path).toBe(true);
  });
});
