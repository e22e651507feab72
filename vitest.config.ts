import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test runs with node:crypto's OpenSSL-only ciphers refused, as Electron's BoringSSL does.
    setupFiles: ['test/setup/boringssl-like-crypto.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
