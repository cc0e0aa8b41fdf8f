import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

// The window's Content-Security-Policy allows no inline script or style, so the build must emit
// every script and stylesheet as a file: nothing is inlined and no module-preload polyfill (an
// inline script) is injected.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rolldownOptions: {
      output: {
        // The five catalogues of translations are half of what the window loads first; kept in a
        // chunk of their own, they leave the app's code a size the bundler does not warn about.
        codeSplitting: {
          groups: [{ name: "locales", test: /[\\/]src[\\/]i18n[\\/]locales[\\/]/ }],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
