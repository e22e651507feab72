import { defineConfig } from 'vite';

// The renderer is static files served by the app:// protocol: relative base, no inline scripts
// (the CSP forbids them), no module-preload polyfill injected inline.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
  },
  esbuild: { jsx: 'automatic' },
});
