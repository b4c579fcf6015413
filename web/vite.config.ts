import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Where `npm run dev` forwards API calls: the embedded app (`./geocrop serve`) by default.
const api = process.env.GEOCROP_API ?? "http://127.0.0.1:8080";
const apiPaths = ["/jobs", "/uploads", "/tiles", "/legend", "/baselines", "/model", "/health", "/openapi", "/prometheus"];

export default defineConfig({
  plugins: [react()],
  // Served at the root of its origin (the embedded app's `/`, or the cluster's ingress); VITE_BASE for a sub-path.
  base: process.env.VITE_BASE ?? "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: false }])),
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
