package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web Service's nginx, executed: Debian's nginx runs {@code infra/docker/web-nginx.conf} itself (only the listen
 * port, the static root, the temp paths and the two upstream addresses rewritten) in front of two local HTTP servers
 * standing in for submit-job and tile-render. Every path the web app calls reaches the right one with the Host
 * Kourier routes by, the API key untouched and the client address the functions' hop count finds; the app's pages
 * fall back to index.html; internal routes never get through; SSE is not buffered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebProxyTest {
    static final String SUBMIT_HOST = "submit-job.geocrop.svc.cluster.local";
    static final String RENDER_HOST = "tile-render.geocrop.svc.cluster.local";
    static final Path CONFIG = Repo.path("infra/docker/web-nginx.conf");
    static final String INDEX = "<!doctype html><title>GeoCrop</title><div id=root></div>";

    /** One request as a stand-in backend saw it. */
    record Seen(String backend, String method, String rawUri, Map<String, String> headers, long bodyBytes) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Path tmp;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch sseReleased = new CountDownLatch(1);
    private HttpServer submit;
    private HttpServer render;
    private Process nginx;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("geocrop-web-proxy");
        submit = backend("submit-job");
        render = backend("tile-render");
        Path html = Files.createDirectories(tmp.resolve("html"));
        Files.writeString(html.resolve("index.html"), INDEX);
        Files.createDirectories(html.resolve("assets"));
        Files.writeString(html.resolve("assets/index-3f2a1b.js"), "console.log('geocrop');\n".repeat(200));
        Files.writeString(html.resolve("config.json"), "{\"api_base\":\"\",\"mode\":\"cluster\"}");
        Path run = Files.createDirectories(tmp.resolve("run"));
        // Workers run as an unprivileged user when the master is root (as here): let them read and write.
        for (Path p : List.of(tmp, html, html.resolve("assets"), run)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        port = freePort();
        Path conf = tmp.resolve("nginx.conf");
        Files.writeString(conf, render(Repo.read(CONFIG), port, html, run, submit.getAddress().getPort(),
                render.getAddress().getPort()));
        Path nginxBinary = Path.of("/usr/sbin/nginx");
        assertTrue(Files.isExecutable(nginxBinary), "Debian's nginx is needed (.ci/run installs it: apt-get install nginx)");
        nginx = new ProcessBuilder(nginxBinary.toString(), "-e", "stderr", "-p", tmp.toString(), "-c", conf.toString(),
                "-g", "daemon off; user root;").redirectErrorStream(true).redirectOutput(tmp.resolve("nginx.log").toFile()).start();
        awaitListening(port);
    }

    @AfterAll
    void stop() throws Exception {
        sseReleased.countDown();
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        if (submit != null) {
            submit.stop(0);
        }
        if (render != null) {
            render.stop(0);
        }
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The deployed config with test addresses; each rewrite must hit, so a renamed directive fails here. */
    static String render(String config, int listen, Path html, Path run, int submitPort, int renderPort) {
        String out = config;
        // Temp paths first: the test's own directories may lie under /tmp.
        out = replaceAll(out, "/tmp/", run + "/", 6);
        out = replaceAll(out, "listen 8080;", "listen 127.0.0.1:" + listen + ";", 1);
        out = replaceAll(out, "root /usr/share/nginx/html;", "root " + html + ";", 1);
        out = replaceAll(out, "server " + SUBMIT_HOST + ":80;", "server 127.0.0.1:" + submitPort + ";", 1);
        out = replaceAll(out, "server " + RENDER_HOST + ":80;", "server 127.0.0.1:" + renderPort + ";", 1);
        // Every location proxies by the upstream's name, so Host is the name Kourier routes by.
        assertEquals(4, out.split(Pattern.quote("proxy_pass http://" + SUBMIT_HOST + ";"), -1).length - 1);
        assertEquals(3, out.split(Pattern.quote("proxy_pass http://" + RENDER_HOST + ";"), -1).length - 1);
        assertFalse(out.contains(".svc.cluster.local:"), "an upstream server this test does not stand in for");
        return out;
    }

    private static String replaceAll(String text, String from, String to, int expected) {
        int count = text.split(Pattern.quote(from), -1).length - 1;
        assertEquals(expected, count, "'" + from + "' in web-nginx.conf");
        return text.replace(from, to);
    }

    @Test
    void theAppsPagesAreIndexHtmlAndItsFilesAreServedAsTheyAre() throws Exception {
        int before = seen.size();
        for (String page : List.of("/", "/how-it-works", "/?job=0b5c1f7e-2a8d-4c1e-9d3f-5e6a7b8c9d0e", "/index.html")) {
            HttpResponse<String> r = get(page, Map.of("Accept", "text/html"));
            assertEquals(200, r.statusCode(), page);
            assertEquals(INDEX, r.body(), page);
            assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""), page + ": index.html never stale");
        }
        HttpResponse<String> asset = get("/assets/index-3f2a1b.js", Map.of());
        assertEquals(200, asset.statusCode());
        assertTrue(asset.headers().firstValue("Content-Type").orElse("").contains("javascript"), asset.headers().toString());
        assertTrue(asset.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        HttpResponse<String> zipped = get("/assets/index-3f2a1b.js", Map.of("Accept-Encoding", "gzip"));
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""), "the bundle is compressed");
        // A missing asset is a 404, never index.html parsed as JavaScript.
        assertEquals(404, get("/assets/index-gone.js", Map.of()).statusCode());
        HttpResponse<String> config = get("/config.json", Map.of());
        assertEquals(200, config.statusCode());
        assertTrue(config.body().contains("\"cluster\""));
        assertEquals(200, get("/healthz", Map.of()).statusCode());
        assertEquals(before, seen.size(), "no page or file may wake a function");
    }

    @Test
    void aJobSubmissionReachesSubmitJobWithItsKeyBodyAndTheClientTheHopCountFinds() throws Exception {
        String body = "{\"lon\":31.05,\"lat\":-17.83,\"radius_m\":1000,\"year\":2023}";
        // What Kourier and the activator hand nginx: whatever the client wrote, the client (by Envoy), Envoy (by the activator).
        HttpResponse<String> r = send("POST", "/jobs", body, Map.of("Content-Type", "application/json",
                "X-API-Key", "key-0123456789abcdef", "Authorization", "Bearer key-0123456789abcdef",
                "X-Forwarded-For", "10.0.0.1, 6.6.6.6, 203.0.113.7, 10.42.0.17"));
        assertEquals(202, r.statusCode(), r.body());
        Seen s = last("submit-job");
        assertEquals("POST", s.method());
        assertEquals("/jobs", s.rawUri());
        assertEquals(SUBMIT_HOST, s.header("Host"), "Kourier routes by Host");
        assertEquals("key-0123456789abcdef", s.header("X-API-Key"));
        assertEquals("Bearer key-0123456789abcdef", s.header("Authorization"));
        assertEquals("application/json", s.header("Content-Type"));
        assertEquals(body.length(), s.bodyBytes());
        assertEquals("203.0.113.7", s.header("X-Forwarded-For"), "only the client goes on, never what it wrote itself");
        // Then Kourier's internal Envoy appends nginx's pod and the activator Envoy's: the functions' hop count
        // (from the rendered manifest) must land on the client.
        int hops = Integer.parseInt(KnativeServicesTest.env(KnativeServicesTest.service("submit-job"))
                .get("GEOCROP_INGRESS_TRUSTED_PROXY_HOPS"));
        List<String> atTheFunction = List.of(s.header("X-Forwarded-For"), "10.42.0.31", "10.42.0.12");
        assertEquals("203.0.113.7", atTheFunction.get(Math.max(0, atTheFunction.size() - hops)));
        assertEquals(hops, Integer.parseInt(KnativeServicesTest.env(KnativeServicesTest.service("tile-render"))
                .get("GEOCROP_INGRESS_TRUSTED_PROXY_HOPS")));
    }

    @Test
    void aRequestWithFewerForwardedEntriesKeepsTheOneItHasOrThePeer() throws Exception {
        get("/jobs?limit=20", Map.of("X-Forwarded-For", "198.51.100.4"));
        Seen one = last("submit-job");
        assertEquals("/jobs?limit=20", one.rawUri());
        assertEquals("198.51.100.4", one.header("X-Forwarded-For"));
        get("/jobs/abc", Map.of());
        assertEquals("127.0.0.1", last("submit-job").header("X-Forwarded-For"));
    }

    @Test
    void everyPathTheWebAppCallsReachesTheServiceThatOwnsIt() throws Exception {
        Map<String, String> owner = new LinkedHashMap<>();
        owner.put("GET /jobs?limit=20", "submit-job");
        owner.put("GET /jobs/0b5c1f7e-2a8d-4c1e-9d3f-5e6a7b8c9d0e", "submit-job");
        owner.put("GET /jobs/0b5c1f7e-2a8d-4c1e-9d3f-5e6a7b8c9d0e/results/summary", "submit-job");
        owner.put("GET /jobs/0b5c1f7e-2a8d-4c1e-9d3f-5e6a7b8c9d0e/results/cog", "submit-job");
        owner.put("GET /uploads/field%20A", "submit-job");
        owner.put("GET /uploads/field%20A/result", "submit-job");
        owner.put("GET /model", "submit-job");
        owner.put("GET /health", "submit-job");
        owner.put("GET /tiles/crop-0b5c1f7e/12/2345/1234.png", "tile-render");
        owner.put("GET /tiles/upload-field%20A-class/tilejson.json", "tile-render");
        owner.put("GET /legend/dw-2017", "tile-render");
        owner.put("POST /baselines/dw/2023?lon=31.05&lat=-17.83&radius_m=1000", "tile-render");
        for (var e : owner.entrySet()) {
            String[] mr = e.getKey().split(" ", 2);
            HttpResponse<String> r = send(mr[0], mr[1], mr[0].equals("POST") ? "" : null, Map.of("Accept", "application/json"));
            assertEquals(200, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), r.body(), e.getKey() + " answered by");
            Seen s = last(e.getValue());
            assertEquals(mr[0], s.method(), e.getKey());
            assertEquals(mr[1], s.rawUri(), e.getKey() + ": the URI reaches the function as the browser sent it");
            assertEquals(e.getValue().equals("submit-job") ? SUBMIT_HOST : RENDER_HOST, s.header("Host"), e.getKey());
        }
        // And the list above is every root web/src calls: a new call the proxy does not route fails here.
        Set<String> tested = new TreeSet<>();
        owner.keySet().forEach(k -> tested.add(k.split(" ")[1].split("[/?]")[1]));
        assertEquals(tested, webAppRoots());
    }

    @Test
    void anUploadStreamsThroughWhole() throws Exception {
        byte[] tile = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(tile);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/uploads/field-7"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(tile)).header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Seen s = last("submit-job");
        assertEquals("PUT", s.method());
        assertEquals(tile.length, s.bodyBytes());
    }

    @Test
    void internalRoutesAndMetricsNeverGetThrough() throws Exception {
        int before = seen.size();
        for (String[] mr : List.of(new String[] {"POST", "/internal/reconcile"}, new String[] {"POST", "/internal/dead-letter"},
                new String[] {"POST", "/webhooks/minio"}, new String[] {"POST", "/prerender"}, new String[] {"GET", "/prometheus"},
                new String[] {"POST", "/"})) {
            HttpResponse<String> r = send(mr[0], mr[1], mr[0].equals("POST") ? "{}" : null,
                    Map.of("Authorization", "Bearer stolen", "X-Forwarded-For", "127.0.0.1"));
            assertTrue(r.statusCode() == 404 || r.statusCode() == 403, mr[0] + " " + mr[1] + " answered " + r.statusCode());
        }
        assertEquals(before, seen.size(), "reached a function: " + seen.subList(before, seen.size()));
    }

    @Test
    void progressStreamsAreNotBuffered() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri("/jobs/0b5c1f7e/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        // The backend sends one event and then waits for this test: only an unbuffered proxy lets it through.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("event: progress", in.readLine());
            sseReleased.countDown();
            assertEquals("data: {\"state\":\"extracting\"}", in.readLine());
        }
    }

    @Test
    void theShippedConfigPointsTheAppAtItsOwnOrigin() {
        // web/public/config.json is copied into the image beside index.html: an empty api_base means same origin.
        JsonNode config = Repo.json(Repo.path("web/public/config.json"));
        assertEquals("", config.path("api_base").asText("missing"));
        assertEquals("cluster", config.path("mode").asText());
    }

    /** First path segments of every API call in web/src/api/client.ts. */
    static Set<String> webAppRoots() {
        String client = Repo.read(Repo.path("web/src/api/client.ts"));
        Matcher m = Pattern.compile("(?:send|url)\\(\\s*[`\"]/([a-z-]+)").matcher(client);
        Set<String> roots = new TreeSet<>();
        while (m.find()) {
            roots.add(m.group(1));
        }
        assertTrue(roots.containsAll(List.of("jobs", "tiles", "model")), roots.toString());
        return roots;
    }

    // ---- the stand-in backends ----

    private HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> handle(name, exchange));
        server.start();
        return server;
    }

    private void handle(String name, HttpExchange exchange) throws IOException {
        long bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(", ", v)));
        seen.add(new Seen(name, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                headers, bytes));
        if (exchange.getRequestURI().getRawPath().endsWith("/events")) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("event: progress\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                sseReleased.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write("data: {\"state\":\"extracting\"}\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
            return;
        }
        byte[] answer = name.getBytes(StandardCharsets.UTF_8);
        int status = exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().equals("/jobs") ? 202 : 200;
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private List<Seen> seenBy(String backend) {
        synchronized (seen) {
            return seen.stream().filter(s -> backend == null || s.backend().equals(backend)).toList();
        }
    }

    private Seen last(String backend) {
        List<Seen> of = seenBy(backend);
        assertFalse(of.isEmpty(), "nothing reached " + backend);
        Seen s = of.getLast();
        assertNotNull(s);
        return s;
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, null, headers);
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited " + nginx.exitValue() + ": " + Files.readString(tmp.resolve("nginx.log")));
            }
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen: " + Files.readString(tmp.resolve("nginx.log")));
    }
}
