import { useEffect, useMemo, useState } from "react";
import { ApiClient, errorMessage } from "./api/client";
import type { ModelCard, RuntimeConfig } from "./api/types";
import type { ErrorMessage } from "./lib/problem";
import { routeOf, type Route } from "./lib/route";
import { HowItWorks } from "./pages/HowItWorks";
import { MapPage } from "./pages/MapPage";

/** The shell: header, honest labels, and the two pages (map at `/`, `/how-it-works`). */
export function App({ config }: { config: RuntimeConfig }) {
  const api = useMemo(() => new ApiClient(config.api_base), [config.api_base]);
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.pathname, import.meta.env.BASE_URL));
  // undefined: not asked yet; null: the server has no model yet.
  const [model, setModel] = useState<ModelCard | null>();
  const [modelError, setModelError] = useState<ErrorMessage>();

  useEffect(() => {
    const onPop = () => setRoute(routeOf(window.location.pathname, import.meta.env.BASE_URL));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    api.model().then(
      (m) => setModel(m ?? null),
      (e) => setModelError(errorMessage(e)),
    );
  }, [api]);

  // The embedded runtime trains its demo model on the first job: ask again until a model is there, so the
  // header's label follows it.
  useEffect(() => {
    if (model !== null) return undefined;
    const timer = window.setInterval(() => {
      api.model().then(
        (m) => {
          if (m) setModel(m);
        },
        () => undefined,
      );
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [api, model]);

  function go(to: Route) {
    const path = import.meta.env.BASE_URL + (to === "how" ? "how-it-works" : "");
    window.history.pushState(null, "", path + (to === "map" ? window.location.search : ""));
    setRoute(to);
  }

  const labels: string[] = [];
  if (config.imagery_source === "simulated") labels.push("simulated imagery");
  if (model?.synthetic) labels.push("synthetic model");
  if (model === null) labels.push("no model yet");

  return (
    <div className="app">
      <header>
        <a
          className="brand"
          href={import.meta.env.BASE_URL}
          onClick={(e) => {
            e.preventDefault();
            go("map");
          }}
        >
          GeoCrop <span className="muted">crop types of Zimbabwe</span>
        </a>
        <nav>
          <a href={import.meta.env.BASE_URL} aria-current={route === "map" ? "page" : undefined} onClick={(e) => { e.preventDefault(); go("map"); }}>
            Map
          </a>
          <a href={`${import.meta.env.BASE_URL}how-it-works`} aria-current={route === "how" ? "page" : undefined} onClick={(e) => { e.preventDefault(); go("how"); }} data-testid="nav-how">
            How it works
          </a>
        </nav>
        {labels.length > 0 && (
          <span className="demo-label" data-testid="demo-label" title={`Demo: ${labels.join(", ")}. What is not real in this deployment: see How it works`}>
            <span className="demo-full">Demo: {labels.join(", ")}</span>
            {/* Phones: the header keeps one line; the full label is the title and How it works. */}
            <span className="demo-short">Demo: {labels.map((l) => (l === "no model yet" ? "no model" : l.split(" ")[0])).join(", ")}</span>
          </span>
        )}
      </header>
      <main>
        {route === "map" && <MapPage api={api} config={config} />}
        {route === "how" && <HowItWorks api={api} config={config} model={model} modelError={modelError} />}
        {route === "not-found" && (
          <div className="page">
            <h1>Page not found</h1>
            <p>
              There is no page at <code>{window.location.pathname}</code>.{" "}
              <a href={import.meta.env.BASE_URL} onClick={(e) => { e.preventDefault(); go("map"); }}>Go to the map</a>.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
