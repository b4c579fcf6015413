import type { RuntimeConfig } from "../api/types";

/**
 * The deployment's settings, read at start from `config.json` beside index.html: the embedded app answers it
 * from its own configuration; a static deployment ships the file (a ConfigMap behind the ingress). Missing
 * or unreadable means the same-origin API and the build's defaults.
 */
export function defaultConfig(): RuntimeConfig {
  return {
    api_base: (import.meta.env.VITE_GEOCROP_API_BASE as string | undefined) ?? "",
    osm_basemap: false,
  };
}

export function mergeConfig(base: RuntimeConfig, loaded: unknown): RuntimeConfig {
  if (loaded == null || typeof loaded !== "object") {
    return base;
  }
  const l = loaded as Record<string, unknown>;
  return {
    ...base,
    api_base: typeof l.api_base === "string" ? l.api_base : base.api_base,
    mode: typeof l.mode === "string" ? l.mode : base.mode,
    imagery_source: typeof l.imagery_source === "string" ? l.imagery_source : base.imagery_source,
    osm_basemap: typeof l.osm_basemap === "boolean" ? l.osm_basemap : base.osm_basemap,
    version: typeof l.version === "string" ? l.version : base.version,
  };
}

export async function loadConfig(): Promise<RuntimeConfig> {
  const base = defaultConfig();
  try {
    const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: "no-store" });
    if (!res.ok) {
      return base;
    }
    return mergeConfig(base, await res.json());
  } catch {
    return base;
  }
}
