package io.geocrop.render;

import io.geocrop.platform.security.RouteTableContract;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.List;
import org.junit.jupiter.api.TestInstance;

/** Every route tile-render registers has a decision in RouteTable. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTableTest extends RouteTableContract {
    @Override
    protected List<String> expectedRoutes() {
        return List.of("POST /prerender", "GET /tiles/{layer}/tilejson.json");
    }
}
