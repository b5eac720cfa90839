/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const nhsukAssets = fileURLToPath(
  new URL('./node_modules/nhsuk-frontend/dist/nhsuk/assets/', import.meta.url),
);

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The NHS stylesheet points its icons at "$nhsuk-assets-path"; this alias lets
    // Vite bundle them instead of expecting them under /assets/ on the server.
    alias: { '@nhsuk-assets': nhsukAssets },
  },
  css: {
    preprocessorOptions: {
      scss: {
        // nhsuk-frontend's own Sass is not yet free of deprecated built-ins.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin'],
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // No source maps in the release build: the server would otherwise hand out the source.
    sourcemap: false,
    // Writes .vite/manifest.json: scripts/size.mjs reads it to find the initial chunks.
    manifest: true,
    // The NHS Sass takes most of the build; the timing notice about it is noise.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // See src/test/setup.ts: generous limits for a loaded two-core machine.
    testTimeout: 30_000,
  },
});
