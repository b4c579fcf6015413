package io.geocrop.platform.security;

import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.util.List;

/** For each function's {@code RouteTableTest}: the routes its router registers that {@link RouteTable} does not classify. */
public final class RouteTableCheck {
    private RouteTableCheck() {}

    /** "METHOD template" of every unclassified route; empty when every route has a decision. */
    public static List<String> unclassified(Router router) {
        return routes(router).stream().filter(r -> {
            String[] parts = r.split(" ", 2);
            return RouteTable.lookup(parts[0], parts[1]).isEmpty();
        }).toList();
    }

    /** "METHOD template" of every route the router registers. */
    public static List<String> routes(Router router) {
        return router.uriRoutes().map(RouteTableCheck::describe).distinct().sorted().toList();
    }

    private static String describe(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString();
    }
}
