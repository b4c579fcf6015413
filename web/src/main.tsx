import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadConfig } from "./lib/config";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
loadConfig().then((config) =>
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  ),
);
