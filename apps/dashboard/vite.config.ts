import { defineConfig } from 'vite';

/** Built into dist/ and served by the server at /dashboard (apps/server/src/http/pages/dashboard-static.ts). */
export default defineConfig({
  base: '/dashboard/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/trpc': 'http://localhost:8080', '/auth': 'http://localhost:8080' } },
});
