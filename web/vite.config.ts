import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Fontsource's CSS lists a .woff fallback after every .woff2 file; every browser the app supports reads
 * woff2, so the fallbacks are dropped and never reach the bundle.
 */
function woff2Only(): Plugin {
  return {
    name: 'couponhub-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/@fontsource[\\/].+\.css$/.test(id)) {
        return null;
      }
      return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, ''), map: null };
    },
  };
}

// The gateway serves the build from the web jar (classpath:/couponhub-web/); `npm run dev` proxies the API
// to a gateway on :8080 (`./couponhub up -d`).
export default defineConfig({
  plugins: [woff2Only()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'target/classes/couponhub-web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
