/** The app's pages. `/` is the map (with `?job=<id>` to open a job), `/how-it-works` the explanation. */
export type Route = "map" | "how" | "not-found";

export function routeOf(pathname: string, base: string): Route {
  const b = base.endsWith("/") ? base : `${base}/`;
  let rest = pathname.startsWith(b) ? pathname.slice(b.length) : pathname.replace(/^\//, "");
  rest = rest.replace(/\/+$/, "");
  if (rest === "" || rest === "index.html") return "map";
  if (rest === "how-it-works") return "how";
  return "not-found";
}
