import { defineConfig } from "vite"

// The embed: `widget.js` (the launcher, loaded by the site's one script tag), `widget.css` (copied from `public/`)
// and the chat's chunks, fetched when the customer opens the widget. Built from the packages' published entry
// points (their dist), as a site's build would be.
export default defineConfig({
  build: {
    outDir: "dist",
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: false,
    // Terser after Rollup: ~6 KB less gzipped than esbuild's minifier on the chat chunk (the budget is 120 KB).
    minify: "terser",
    terserOptions: { module: true, compress: { passes: 2, pure_getters: true } },
    rollupOptions: {
      input: { widget: "src/widget.ts" },
      output: { entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" },
      preserveEntrySignatures: false
    }
  },
  logLevel: "warn"
})
