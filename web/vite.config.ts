import { defineConfig } from 'vite'

/** The single-page app: built into web/dist and served by the API server at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
})
