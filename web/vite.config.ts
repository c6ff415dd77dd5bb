import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `vite` (dev server) proxies the API to a running `nextoffer serve` (NEXTOFFER_PORT, default 8080).
const api = `http://127.0.0.1:${process.env.NEXTOFFER_PORT ?? '8080'}`;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        manualChunks: {
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
        },
      },
    },
  },
  server: {
    proxy: { '/v1': api, '/health': api, '/docs': api, '/openapi.json': api },
  },
});
