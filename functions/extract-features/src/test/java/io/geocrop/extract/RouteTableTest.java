package io.geocrop.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.platform.security.RouteTableCheck;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every route extract-features registers has a decision in RouteTable: a new route cannot ship unclassified. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTableTest implements TestPropertyProvider {
    @Inject Router router;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of());
    }

    @Test
    void everyRouteIsClassified() {
        List<String> routes = RouteTableCheck.routes(router);
        assertTrue(routes.contains("POST /"), routes.toString());
        assertEquals(List.of(), RouteTableCheck.unclassified(router), "routes in no table; all routes: " + routes);
    }
}
