package io.geocrop.embedded.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.embedded.EmbeddedApplication;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.platform.security.Attack;
import io.geocrop.platform.security.Attacks;
import io.geocrop.platform.security.RawHttp;
import io.geocrop.platform.security.RouteTableCheck;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The attack suite against the embedded server ({@code all} surface, API key and internal token configured), and
 * against the same application on the {@code public} and {@code internal} surfaces as the cluster runs it. Each
 * attack expects one status and proves nothing changed: no job created or failed, no object written, no alias
 * moved. docs/security.md maps every door to these attacks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedAttackSuiteTest {
    static final String API_KEY = "attack-suite-key-" + UUID.randomUUID();
    static final String TOKEN = "attack-suite-token-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApplicationContext all;
    private ApplicationContext publicSurface;
    private ApplicationContext internalSurface;
    private UUID job;

    private static ApplicationContext start(String surface, int rateLimit) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("geocrop.home", Files.createTempDirectory("geocrop-attack").toString());
        props.put("micronaut.server.port", -1);
        props.put("geocrop.http.surface", surface);
        props.put("geocrop.ingress.api-key", API_KEY);
        props.put("geocrop.internal.token", TOKEN);
        props.put("geocrop.ingress.rate-limit", rateLimit);
        props.put("geocrop.ingress.rate-window", "1h");
        props.put("geocrop.ingress.sse-per-client", 2);
        props.put("geocrop.reconciler.interval", "0s");
        props.put("geocrop.models.train-demo-if-missing", false);
        return EmbeddedApplication.start(props);
    }

    @BeforeAll
    void startServers() throws Exception {
        all = start("all", 100);
        publicSurface = start("public", 3);
        internalSurface = start("internal", 100);
        // A job an attacker can see in GET /jobs; recorded without its event, so it stays queued unless attacked.
        job = UUID.randomUUID();
        all.getBean(JobStore.class).submit(new NewJob(job, new JobRequest(new Aoi(29.8, -18.5, 500), new Season(2023)),
                "geocrop-crop-type@champion", "attack-" + job));
    }

    @AfterAll
    void stop() {
        Stream.of(all, publicSurface, internalSurface).filter(c -> c != null).forEach(ApplicationContext::close);
    }

    /** What an attack must not change: every job's state and version, every object, the model alias. */
    private static String state(ApplicationContext app) {
        StringBuilder s = new StringBuilder();
        app.getBean(JobStore.class).recent(100).forEach(j -> s.append(j.id()).append(' ').append(j.state())
                .append(' ').append(j.version()).append('\n'));
        ObjectStore store = app.getBean(ObjectStore.class);
        for (Bucket bucket : Bucket.values()) {
            store.list(bucket, "").forEach(o -> s.append(bucket).append('/').append(o.key()).append(' ').append(o.eTag()).append('\n'));
        }
        app.findBean(ModelRegistry.class).ifPresent(r -> s.append("champion=")
                .append(r.resolve("geocrop-crop-type", "champion").map(m -> m.card().toString().hashCode()).orElse(null)));
        return s.toString();
    }

    private static InetSocketAddress address(ApplicationContext app) {
        EmbeddedServer server = app.getBean(EmbeddedServer.class);
        return new InetSocketAddress("127.0.0.1", server.getPort());
    }

    private static Stream<DynamicTest> run(ApplicationContext app, List<Attack> attacks) {
        return attacks.stream().map(attack -> DynamicTest.dynamicTest(attack.expected() + " " + attack.tries(), () -> {
            String before = state(app);
            RawHttp.Reply reply = RawHttp.send(address(app), attack.method(), attack.path(), attack.headers(), attack.body(), 20_000);
            assertEquals(attack.expected(), reply.status(), attack.tries() + ": " + reply.raw());
            if (!"HEAD".equals(attack.method())) {
                assertTrue(String.valueOf(reply.header("Content-Type")).startsWith("application/problem+json"),
                        "a problem body: " + reply.raw());
            }
            assertEquals(before, state(app), attack.tries() + " changed something");
        }));
    }

    @TestFactory
    Stream<DynamicTest> embeddedAllSurface() {
        List<Attack> attacks = new ArrayList<>(Attacks.publicWrites(API_KEY, TOKEN));
        attacks.add(Attacks.baselineWithoutKey());
        attacks.addAll(Attacks.internalWithoutToken(job, API_KEY));
        attacks.addAll(Attacks.ingressWithoutToken(job, API_KEY, List.of("/prerender")));
        return run(all, attacks);
    }

    @TestFactory
    Stream<DynamicTest> publicSurfaceHidesInternalRoutes() {
        // POST / is not in the list: the combined application has two such routes (extract-features and score-tile),
        // which the router refuses as ambiguous; each function's own POST / is attacked in e2e.
        return run(publicSurface, Attacks.internalOnPublicSurface(job, TOKEN, List.of("/prerender")));
    }

    @TestFactory
    Stream<DynamicTest> internalSurfaceHidesThePublicApi() {
        List<Attack> attacks = new ArrayList<>(Attacks.publicOnInternalSurface(API_KEY));
        attacks.addAll(Attacks.internalWithoutToken(job, API_KEY));
        attacks.addAll(Attacks.ingressWithoutToken(job, API_KEY, List.of("/prerender")));
        return run(internalSurface, attacks);
    }

    @Test
    void forgedForwardedForDoesNotEscapeTheRateLimit() throws Exception {
        String before = state(publicSurface);
        InetSocketAddress server = address(publicSurface);
        Map<String, String> headers = new HashMap<>(Map.of("X-API-Key", API_KEY));
        int status = 0;
        // Budget 3: bodies the rules refuse (422) still spend it; then every request is 429 whatever X-Forwarded-For says.
        for (int i = 0; i < 8; i++) {
            headers.put("X-Forwarded-For", "10.0." + i + "." + i);
            RawHttp.Reply reply = RawHttp.send(server, "POST", i % 2 == 0 ? "/jobs" : "/jobs/", headers,
                    "{\"lon\": 2.35, \"lat\": 48.85, \"radius_m\": 500, \"year\": 2023}", 20_000);
            status = reply.status();
            if (i < 3) {
                assertEquals(422, status, reply.raw());
            } else {
                assertEquals(429, status, "request " + i + " with a fresh X-Forwarded-For: " + reply.raw());
                assertNotNull(reply.header("Retry-After"));
            }
        }
        assertEquals(before, state(publicSurface));
    }

    @Test
    void streamsAreCappedPerClient() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(openStream(address(all), "/jobs/" + job + "/events"));
            }
            String before = state(all);
            RawHttp.Reply third = RawHttp.send(address(all), "GET", "/jobs/" + job + "/events", Map.of("Accept", "text/event-stream"), null, 5_000);
            assertEquals(429, third.status(), third.raw());
            assertNotNull(third.header("Retry-After"));
            assertEquals(before, state(all));
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void healthShowsDetailsOnlyToInternalCallers() throws Exception {
        JsonNode publicHealth = JSON.readTree(RawHttp.send(address(publicSurface), "GET", "/health", Map.of(), null, 20_000).body());
        assertEquals(List.of("status"), fieldNames(publicHealth), publicHealth.toString());
        JsonNode anonymous = JSON.readTree(RawHttp.send(address(all), "GET", "/health", Map.of(), null, 20_000).body());
        assertEquals(List.of("status"), fieldNames(anonymous), "token configured, none presented: " + anonymous);
        JsonNode internal = JSON.readTree(RawHttp.send(address(all), "GET", "/health",
                Map.of("Authorization", "Bearer " + TOKEN), null, 20_000).body());
        assertTrue(internal.has("details"), internal.toString());
        JsonNode cluster = JSON.readTree(RawHttp.send(address(internalSurface), "GET", "/health", Map.of(), null, 20_000).body());
        assertTrue(cluster.has("details"), cluster.toString());
        assertFalse(publicHealth.toString().contains(all.getBean(io.geocrop.platform.GeoCropSettings.class).resolvedHome().toString()));
    }

    @Test
    void everyRouteOfTheCombinedApplicationIsClassified() {
        io.micronaut.web.router.Router router = all.getBean(io.micronaut.web.router.Router.class);
        List<String> routes = RouteTableCheck.routes(router);
        assertTrue(routes.contains("GET /config.json") && routes.contains("POST /jobs"), routes.toString());
        assertEquals(List.of(), RouteTableCheck.unclassified(router), "routes in no table; all routes: " + routes);
    }

    @Test
    void internalRoutesAnswerOnlyLoopbackWithoutAToken() throws Exception {
        java.net.InetAddress lan = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(lan != null, "this machine has no non-loopback IPv4 address");
        Map<String, Object> props = new HashMap<>();
        props.put("geocrop.home", Files.createTempDirectory("geocrop-laptop").toString());
        props.put("micronaut.server.port", -1);
        props.put("geocrop.reconciler.interval", "0s");
        props.put("geocrop.models.train-demo-if-missing", false);
        try (ApplicationContext laptop = EmbeddedApplication.start(props)) {
            int port = laptop.getBean(EmbeddedServer.class).getPort();
            String before = state(laptop);
            RawHttp.Reply remote = RawHttp.send(new InetSocketAddress(lan, port), "POST", "/internal/reconcile", Map.of(), "{}", 20_000);
            assertEquals(403, remote.status(), "a peer on " + lan + ": " + remote.raw());
            assertEquals(before, state(laptop));
            RawHttp.Reply local = RawHttp.send(new InetSocketAddress("127.0.0.1", port), "POST", "/internal/reconcile", Map.of(), "{}", 20_000);
            assertEquals(200, local.status(), local.raw());
        }
    }

    @Test
    void theInternalTokenOpensTheInternalRoutes() throws Exception {
        RawHttp.Reply reply = RawHttp.send(address(all), "POST", "/internal/reconcile",
                Map.of("Authorization", "Bearer " + TOKEN), "{}", 20_000);
        assertEquals(200, reply.status(), reply.raw());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Socket openStream(InetSocketAddress address, String path) throws Exception {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] head = new byte[12];
        int n = socket.getInputStream().readNBytes(head, 0, 12);
        assertEquals("HTTP/1.1 200", new String(head, 0, n, StandardCharsets.ISO_8859_1));
        return socket;
    }
}
