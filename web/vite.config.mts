import { defineConfig } from 'vite';

const pkg = (name: string) =>
  decodeURIComponent(new URL(`../packages/${name}/src/index.ts`, import.meta.url).pathname);

// The shared packages are bundled from their sources: contracts for the event types, indicators
// so the chart's overlays come from the same code that computes the model's features.
export default defineConfig({
  resolve: {
    alias: {
      '@tickstream/contracts': pkg('contracts'),
      '@tickstream/indicators': pkg('indicators'),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
