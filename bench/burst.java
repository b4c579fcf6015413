// Burst load harness (issue 17): job submissions from many clients, identical submissions, progress streams and
// map tile requests against a running GeoCrop server on loopback, printing one table row per phase.
// Every client is a distinct address sent in X-Forwarded-For, which the server believes when it runs with
// GEOCROP_INGRESS_TRUSTED_PROXY_HOPS=1 (the harness stands in for one trusted proxy).
// Bounded: loopback URLs only, at most 5,000 requests and 60 s per phase.
//
//   java bench/burst.java submit    [--url U] [--count 1000] [--clients 50] [--seconds 10] [--radius 100] [--ids-out F]
//   java bench/burst.java identical [--url U] [--count 500]
//   java bench/burst.java streams   [--url U] [--count 500] [--hold 20] [--ids-in F] [--connect-seconds 10]
//   java bench/burst.java tiles     [--url U] [--count 1000] [--clients 50] [--seconds 10] [--layer dw-2024] [--z 13]
//   java bench/burst.java check     [--url U] --ids-in F        (state of every job a submit phase got accepted)
//
// Needs only a JDK (25): no dependencies. bench/burst.sh runs every phase against the embedded server.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Burst {
    static final int MAX_COUNT = 5000;
    static final int MAX_SECONDS = 60;
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z_]+)\"");
    static final Pattern REASON = Pattern.compile("\"failure_reason\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One answered (or failed) request. */
    record Result(int status, long nanos, boolean retryAfter, String body, String error) {}

    static Map<String, String> opts = new HashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java bench/burst.java submit|identical|streams|tiles|check [--option value ...]");
            System.exit(2);
        }
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI base = URI.create(opt("url", "http://127.0.0.1:8080"));
        String host = base.getHost();
        if (!Set.of("127.0.0.1", "localhost", "::1", "[::1]").contains(host)) {
            throw new IllegalArgumentException("loopback servers only, got " + host);
        }
        int count = Math.min(MAX_COUNT, Integer.parseInt(opt("count", "500")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
        switch (args[0]) {
            case "submit" -> submit(http, base, count);
            case "identical" -> identical(http, base, count);
            case "streams" -> streams(http, base, count);
            case "tiles" -> tiles(http, base, count);
            case "check" -> check(http, base);
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
    }

    static String opt(String name, String fallback) {
        return opts.getOrDefault(name, fallback);
    }

    static int seconds(String name, String fallback) {
        return Math.min(MAX_SECONDS, Integer.parseInt(opt(name, fallback)));
    }

    /** The address of client {@code n}: 10.x.y.z, distinct for every n below 16 million. */
    static String client(int n) {
        return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }

    static CompletableFuture<Result> send(HttpClient http, HttpRequest request) {
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((r, e) -> e != null
                        ? new Result(-1, System.nanoTime() - start, false, "", e.getClass().getSimpleName() + ": " + e.getMessage())
                        : new Result(r.statusCode(), System.nanoTime() - start, r.headers().firstValue("Retry-After").isPresent(),
                                r.body(), null));
    }

    static HttpRequest post(URI base, String body, String client) {
        return HttpRequest.newBuilder(base.resolve("/jobs")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** {@code count} requests spread evenly over {@code seconds}, request i from client i % clients. */
    static List<Result> paced(int count, int seconds, java.util.function.IntFunction<CompletableFuture<Result>> request)
            throws InterruptedException {
        List<CompletableFuture<Result>> futures = new ArrayList<>();
        long start = System.nanoTime();
        long spacing = TimeUnit.SECONDS.toNanos(seconds) / Math.max(1, count);
        for (int i = 0; i < count; i++) {
            long due = start + i * spacing;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            futures.add(request.apply(i));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    static void submit(HttpClient http, URI base, int count) throws Exception {
        int clients = Integer.parseInt(opt("clients", "50"));
        int seconds = seconds("seconds", "10");
        double radius = Double.parseDouble(opt("radius", "100"));
        // Distinct AOIs (no two identical), all within a few km so they share the simulated imagery's scene cells.
        List<Result> results = paced(count, seconds, i -> send(http, post(base, String.format(Locale.ROOT,
                "{\"lon\": %.5f, \"lat\": %.5f, \"radius_m\": %.0f, \"year\": 2024}",
                31.02 + (i % 100) * 0.0004, -17.83 - (i / 100) * 0.0004, radius), client(i % clients))));
        table("submit " + count + " in " + seconds + " s, " + clients + " clients", results);
        List<String> accepted = new ArrayList<>();
        for (Result r : results) {
            if (r.status() == 202) {
                Matcher m = ID.matcher(r.body());
                if (m.find()) {
                    accepted.add(m.group(1));
                }
            }
        }
        System.out.println("accepted (202) job ids: " + accepted.size());
        String out = opts.get("ids-out");
        if (out != null) {
            Files.write(Path.of(out), accepted);
        }
    }

    static void identical(HttpClient http, URI base, int count) throws Exception {
        String body = "{\"lon\": 31.0611, \"lat\": -17.8222, \"radius_m\": 150, \"year\": 2024}";
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Result>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest request = post(base, body, client(100_000 + i));
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, Thread::startVirtualThread).thenCompose(x -> send(http, request)));
        }
        go.countDown();
        List<Result> results = futures.stream().map(CompletableFuture::join).toList();
        table("identical x" + count + ", at once", results);
        Set<String> ids = new java.util.TreeSet<>();
        for (Result r : results) {
            Matcher m = ID.matcher(r.body());
            if ((r.status() == 200 || r.status() == 202) && m.find()) {
                ids.add(m.group(1));
            }
        }
        System.out.println("distinct job ids among the 200/202 answers: " + ids.size() + " " + ids);
    }

    static void streams(HttpClient http, URI base, int count) throws Exception {
        int hold = seconds("hold", "20");
        int connectSeconds = seconds("connect-seconds", "10");
        List<String> jobs = new ArrayList<>();
        if (opts.containsKey("ids-in")) {
            jobs.addAll(Files.readAllLines(Path.of(opts.get("ids-in"))).stream().filter(s -> !s.isBlank()).toList());
        }
        if (jobs.isEmpty()) {
            Result r = send(http, post(base, "{\"lon\": 31.0622, \"lat\": -17.8211, \"radius_m\": 120, \"year\": 2024}",
                    client(200_000))).join();
            Matcher m = ID.matcher(r.body());
            if (!m.find()) {
                throw new IllegalStateException("could not submit a job to follow: " + r);
            }
            jobs.add(m.group(1));
        }
        AtomicInteger open = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger endedEarly = new AtomicInteger();
        ConcurrentLinkedQueue<Result> firsts = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String job = jobs.get(i % jobs.size());
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/jobs/" + job + "/events"))
                    .header("Accept", "text/event-stream").header("X-Forwarded-For", client(300_000 + i)).GET().build();
            long t0 = System.nanoTime();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).handle((r, e) -> {
                if (e != null) {
                    firsts.add(new Result(-1, System.nanoTime() - t0, false, "", e.getClass().getSimpleName()));
                    return null;
                }
                if (r.statusCode() != 200) {
                    firsts.add(new Result(r.statusCode(), System.nanoTime() - t0, r.headers().firstValue("Retry-After").isPresent(), "", null));
                    try {
                        r.body().close();
                    } catch (java.io.IOException ignored) {
                        // closing a refused stream
                    }
                    return null;
                }
                // Read the stream on a virtual thread until the phase ends.
                Thread.startVirtualThread(() -> {
                    boolean first = true;
                    open.incrementAndGet();
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("data:")) {
                                events.incrementAndGet();
                                if (first) {
                                    firsts.add(new Result(200, System.nanoTime() - t0, false, "", null));
                                    first = false;
                                }
                            }
                        }
                        endedEarly.incrementAndGet();
                    } catch (java.io.IOException ex) {
                        // closed at the end of the phase
                    } finally {
                        open.decrementAndGet();
                    }
                });
                return null;
            }));
            // Spread the connects over connect-seconds.
            TimeUnit.MILLISECONDS.sleep(Math.max(0, connectSeconds * 1000L / count));
        }
        // A starved server may take a while to answer every connect: the hold starts once all have answered.
        long connectEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (firsts.size() < count && System.nanoTime() < connectEnd) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        System.out.printf(Locale.ROOT, "streams connected: %d open, %d answered, holding %d s (marker: HOLD-START %d)%n",
                open.get(), firsts.size(), hold, System.currentTimeMillis());
        int minOpen = open.get();
        for (int s = 0; s < hold; s++) {
            TimeUnit.SECONDS.sleep(1);
            minOpen = Math.min(minOpen, open.get());
        }
        System.out.printf(Locale.ROOT, "HOLD-END %d: still open %d (fewest during the hold %d), events received %d, streams ended by the server %d%n",
                System.currentTimeMillis(), open.get(), minOpen, events.get(), endedEarly.get());
        table("streams x" + count + " over " + jobs.size() + " job(s), time to first event", new ArrayList<>(firsts));
        System.out.printf(Locale.ROOT, "phase took %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(0); // the open streams are closed with the JVM
    }

    static void tiles(HttpClient http, URI base, int count) throws Exception {
        int clients = Integer.parseInt(opt("clients", "50"));
        int seconds = seconds("seconds", "10");
        String layer = opt("layer", "dw-2024");
        int z = Integer.parseInt(opt("z", "13"));
        // The tiles around (31.05 E, 17.83 S): an 8 x 8 block at zoom z, requested round robin (repeats hit caches).
        double n = Math.pow(2, z);
        int x0 = (int) ((31.05 + 180) / 360 * n) - 4;
        double lat = Math.toRadians(-17.83);
        int y0 = (int) ((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n) - 4;
        List<Result> results = paced(count, seconds, i -> send(http, HttpRequest.newBuilder(base.resolve(
                        "/tiles/" + layer + "/" + z + "/" + (x0 + i % 8) + "/" + (y0 + (i / 8) % 8) + ".png"))
                .timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", client(400_000 + i % clients)).GET().build()));
        table("tiles " + count + " in " + seconds + " s (" + layer + " z" + z + ", 64 distinct)", results);
    }

    /**
     * Looks every accepted job up: lost (404), its state, the reasons of the failed ones. With {@code --wait-seconds N}
     * it polls until every job has ended (completed or failed) or N seconds have passed, so a job left queued is told
     * apart from one that is only slow; the wait is bounded like every phase.
     */
    static void check(HttpClient http, URI base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(opt("wait-seconds", "0"))).toNanos();
        long started = System.nanoTime();
        while (!checkOnce(http, base, System.nanoTime() >= deadline)) {
            Thread.sleep(5_000);
        }
        if (!opt("wait-seconds", "0").equals("0")) {
            System.out.printf(Locale.ROOT, "(waited %.0f s for the jobs to end)%n", (System.nanoTime() - started) / 1e9);
        }
    }

    /** One pass over the accepted jobs; prints and answers true when every job has ended or {@code last} is set. */
    static boolean checkOnce(HttpClient http, URI base, boolean last) throws Exception {
        List<String> ids = Files.readAllLines(Path.of(opts.get("ids-in"))).stream().filter(s -> !s.isBlank()).toList();
        Map<String, Integer> states = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int missing = 0;
        for (String id : ids) {
            Result r = send(http, HttpRequest.newBuilder(base.resolve("/jobs/" + id)).GET().build()).join();
            if (r.status() != 200) {
                missing++;
                continue;
            }
            Matcher s = STATE.matcher(r.body());
            states.merge(s.find() ? s.group(1) : "?", 1, Integer::sum);
            Matcher f = REASON.matcher(r.body());
            if (f.find()) {
                String reason = f.group(1);
                reasons.merge(reason.length() > 80 ? reason.substring(0, 80) + "..." : reason, 1, Integer::sum);
            }
        }
        int ended = states.getOrDefault("completed", 0) + states.getOrDefault("failed", 0);
        if (!last && ended + missing < ids.size()) {
            return false;
        }
        System.out.println("jobs checked: " + ids.size() + ", not found (lost): " + missing + ", ended: " + ended
                + ", states: " + states);
        reasons.forEach((reason, n2) -> System.out.println("  failed x" + n2 + ": " + reason));
        return true;
    }

    /** One Markdown row: count, status histogram, p50/p99/max latency, Retry-After on every 429/503, errors. */
    static void table(String phase, List<Result> results) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Long> nanos = new ArrayList<>();
        int refusedWithoutRetryAfter = 0;
        Map<String, Integer> errors = new TreeMap<>();
        for (Result r : results) {
            statuses.merge(r.status(), 1, Integer::sum);
            if (r.status() > 0) {
                nanos.add(r.nanos());
            }
            if ((r.status() == 429 || r.status() == 503) && !r.retryAfter()) {
                refusedWithoutRetryAfter++;
            }
            if (r.error() != null) {
                errors.merge(r.error().length() > 60 ? r.error().substring(0, 60) : r.error(), 1, Integer::sum);
            }
        }
        Collections.sort(nanos);
        StringBuilder hist = new StringBuilder();
        statuses.forEach((s, n) -> hist.append(hist.isEmpty() ? "" : ", ").append(s < 0 ? "error" : s).append(": ").append(n));
        System.out.println("| phase | requests | statuses | p50 ms | p99 ms | max ms | 429/503 without Retry-After | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %d | %s |%n", phase, results.size(), hist,
                pct(nanos, 0.50), pct(nanos, 0.99), pct(nanos, 1.0), refusedWithoutRetryAfter,
                errors.isEmpty() ? "0" : errors.toString());
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
