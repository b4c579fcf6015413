package io.geocrop.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each function's {@code RouteTableTest} ({@code @MicronautTest}, per-class lifecycle): every route its router
 * registers has a decision in {@link RouteTable}, so a new route cannot ship unclassified.
 */
public abstract class RouteTableContract implements TestPropertyProvider {
    @Inject protected Router router;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of());
    }

    /** A few routes the function must have ("METHOD template"): proof the router was really read. */
    protected abstract List<String> expectedRoutes();

    @Test
    void everyRouteIsClassified() {
        List<String> routes = RouteTableCheck.routes(router);
        assertTrue(routes.containsAll(expectedRoutes()), routes.toString());
        assertEquals(List.of(), RouteTableCheck.unclassified(router), "routes in no table; all routes: " + routes);
    }
}
