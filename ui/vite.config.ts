import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    // A whole flow (type, click, wait for the answer) takes 1-5 s on a 2-core machine, and
    // past Vitest's 5 s when the machine is busy (seen under make test beside another job):
    // the limit only stops a test that hangs.
    testTimeout: 20_000,
  },
});
