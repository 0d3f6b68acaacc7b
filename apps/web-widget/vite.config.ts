import { defineConfig } from "vite"

// The widget is built from the packages' published entry points (their dist), as a user's app would be.
export default defineConfig({
  build: { outDir: "dist", target: "es2022", sourcemap: false, reportCompressedSize: false },
  logLevel: "warn"
})
