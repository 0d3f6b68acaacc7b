import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"
import { sharedSettings } from "../vitest.settings.mjs"

/** The Effect 4 line's vitest settings: the shared ones (`../vitest.settings.mjs`) with this workspace's vite. */
export default defineConfig(
  sharedSettings(defaultServerConditions, new URL("./vitest.setup.ts", import.meta.url).pathname) as never
)
