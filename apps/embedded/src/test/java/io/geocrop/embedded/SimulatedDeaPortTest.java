package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home's simulated DEA comes back on the port it had, so the asset hrefs a job's manifest recorded before a stop
 * still answer when the job is resumed (ShutdownResumeTest runs the whole story).
 */
class SimulatedDeaPortTest {

    @Test
    void aRestartReusesTheHomesPortAndATakenPortFallsBackToAFreeOne(@TempDir Path home) throws Exception {
        Path portFile = home.resolve(SimulatedImageryFactory.PORT_FILE);
        SimulatedDea dea = new SimulatedDea(home.resolve("imagery"), 42);
        int first;
        try (SimulatedDeaServer server = SimulatedImageryFactory.startOnRememberedPort(dea, 0, portFile)) {
            first = server.stacUri().getPort();
        }
        assertEquals(Integer.toString(first), Files.readString(portFile), "the port is remembered in the home");
        try (SimulatedDeaServer again = SimulatedImageryFactory.startOnRememberedPort(dea, 0, portFile)) {
            assertEquals(first, again.stacUri().getPort(), "the next start takes the same port");
        }
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));
            try (SimulatedDeaServer moved = SimulatedImageryFactory.startOnRememberedPort(dea, 0, portFile)) {
                assertNotEquals(first, moved.stacUri().getPort(), "a taken port is not fatal");
                assertEquals(Integer.toString(moved.stacUri().getPort()), Files.readString(portFile));
            }
        }
    }
}
