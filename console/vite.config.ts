/** The console's build: `npm run build:console` writes console/dist, which the gateway serves at `/`. */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "console",
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The first page's size is measured by the benchmark; no source maps shipped to hospital browsers.
    sourcemap: false,
    reportCompressedSize: false,
  },
});
