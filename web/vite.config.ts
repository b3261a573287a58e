import path from 'node:path'
import { type Plugin, build, defineConfig } from 'vite'

/**
 * The chat widget is a classic script for other sites, not a module of the app: built as one
 * self-contained IIFE at a stable address, web/dist/chat/widget.js, right after the app (so
 * `npm run build` stays one command). The nested build has no config file, so it cannot recurse.
 */
function chatWidget(): Plugin {
  return {
    name: 'loopdesk-chat-widget',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: import.meta.dirname,
        logLevel: 'warn',
        build: {
          outDir: path.join(import.meta.dirname, 'dist'),
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: false,
          reportCompressedSize: false,
          target: 'es2020',
          lib: { entry: path.join(import.meta.dirname, 'widget/widget.ts'), formats: ['iife'], name: 'LoopdeskChat', fileName: () => 'chat/widget.js' },
        },
      })
    },
  }
}

/** The single-page app: built into web/dist and served by the API server at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [chatWidget()],
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
