package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.platform.ratelimit.RedisRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis's least privilege, executed: {@code render-acl.sh} of {@code 205-redis-acl-configmap.yaml} writes the ACL
 * file from the users' passwords, a private {@code redis-server} (random port) loads it as the StatefulSet does,
 * and each user, connected with Lettuce (the functions' client), runs what its code runs and is refused the rest.
 */
class RedisAclTest {
    private static final List<String> USERS = List.of("submit-job", "extract-features", "score-tile", "tile-render", "admin");
    private static final Map<String, String> PASSWORDS = new HashMap<>();
    private static final List<RedisClient> CLIENTS = new ArrayList<>();
    private static Process server;
    private static int port;
    private static Path mounted;
    private static Path aclFile;

    @BeforeAll
    static void startRedisWithTheRenderedAcl(@TempDir Path tmp) throws Exception {
        mounted = InfraScripts.mount(InfraScripts.configMap("infra/k8s", "redis-acl"), tmp.resolve("scripts"));
        for (String user : USERS) {
            PASSWORDS.put(user, UUID.randomUUID().toString().replace("-", ""));
        }
        aclFile = tmp.resolve("users.acl");
        InfraScripts.run(List.of("sh", mounted.resolve("render-acl.sh").toString(), aclFile.toString()), passwordEnv(), tmp)
                .assertSucceeded("render-acl.sh");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", tmp.toString(), "--aclfile", aclFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                connect(null, null).sync().ping();
                break;
            } catch (RedisConnectionException e) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new AssertionError("redis-server did not start: " + Files.readString(tmp.resolve("redis.log")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        CLIENTS.forEach(RedisClient::shutdown);
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void theScriptPassesShellcheckAndKeepsNoPlaintextPassword() throws Exception {
        assertEquals(List.of(), InfraScripts.shellcheckAll(mounted));
        String acl = Files.readString(aclFile);
        for (String password : PASSWORDS.values()) {
            assertFalse(acl.contains(password), "a plaintext password in the ACL file");
        }
        assertEquals(6, acl.lines().count(), acl);
    }

    @Test
    void theScriptRefusesAMissingPassword(@TempDir Path tmp) {
        Map<String, String> env = passwordEnv();
        env.put("REDIS_TILE_RENDER_PASSWORD", null);
        InfraScripts.Run run = InfraScripts.run(List.of("sh", mounted.resolve("render-acl.sh").toString(),
                tmp.resolve("x.acl").toString()), env, tmp);
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("REDIS_TILE_RENDER_PASSWORD must be set"), run.output());
        assertFalse(Files.exists(tmp.resolve("x.acl")));
    }

    @Test
    void submitJobMayOnlyAppendJobsAndCountItsRateLimit() {
        RedisCommands<String, String> r = connect("submit-job", PASSWORDS.get("submit-job")).sync();
        assertFalse(r.xadd("geocrop:jobs", Map.of("specversion", "1.0")).isBlank());
        // Its real rate limiter (Lua script: INCR, PEXPIRE, PTTL on its own keys).
        RedisRateLimiter limiter = new RedisRateLimiter(connect("submit-job", PASSWORDS.get("submit-job")),
                "geocrop:ratelimit:jobs:", 2, Duration.ofMinutes(1));
        String client = "10.0.0." + UUID.randomUUID().hashCode();
        assertTrue(limiter.acquire(client).allowed());
        assertTrue(limiter.acquire(client).allowed());
        assertFalse(limiter.acquire(client).allowed());
        denied(r, c -> c.xrange("geocrop:jobs", io.lettuce.core.Range.create("-", "+")));
        denied(r, c -> c.xreadgroup(io.lettuce.core.Consumer.from("geocrop-jobs-to-broker", "x"),
                XReadArgs.StreamOffset.lastConsumed("geocrop:jobs")));
        denied(r, c -> c.del("geocrop:jobs"));
        denied(r, c -> c.xtrim("geocrop:jobs", 0));
        denied(r, c -> c.xadd("other:stream", Map.of("a", "b")));
        denied(r, c -> c.set("geocrop:tiles:poison", "png"));
        denied(r, c -> c.set("geocrop:ratelimit:jobs:" + client, "0"));
        denied(r, c -> c.keys("*"));
        denied(r, c -> c.flushall());
        denied(r, c -> c.configGet("*"));
        // A script runs with the caller's rights: no DEL of a counter, no write outside its keys.
        denied(r, c -> c.eval("return redis.call('DEL', KEYS[1])", ScriptOutputType.INTEGER, "geocrop:ratelimit:jobs:" + client));
        denied(r, c -> c.eval("return redis.call('SET', KEYS[1], 'x')", ScriptOutputType.STATUS, "geocrop:ratelimit:x"));
    }

    @Test
    void theStreamSourceMayOnlyReadTheJobStreamThroughItsGroup() {
        RedisCommands<String, String> admin = connect("admin", PASSWORDS.get("admin")).sync();
        String stream = "geocrop:jobs";
        String group = "g" + UUID.randomUUID().toString().substring(0, 8);
        RedisCommands<String, String> source = connect(null, null).sync(); // "default": what the adapter uses
        // The adapter's start-up and loop (eventing-redis 1.19 adapter.go): XINFO GROUPS, XGROUP CREATE,
        // XREADGROUP (pending "0", then ">"), XACK.
        admin.xadd(stream, Map.of("before", "group"));
        source.xinfoGroups(stream);
        source.xgroupCreate(XReadArgs.StreamOffset.latest(stream), group);
        String id = admin.xadd(stream, Map.of("job", "1"));
        var read = source.xreadgroup(io.lettuce.core.Consumer.from(group, group + "-0"), XReadArgs.StreamOffset.lastConsumed(stream));
        assertEquals(id, read.getFirst().getId());
        assertEquals(1L, source.xack(stream, group, id));
        // Not allowed: anything else, including destroying its group (which would lose entries on a restart).
        denied(source, c -> c.xgroupDestroy(stream, group));
        denied(source, c -> c.xgroupDelconsumer(stream, io.lettuce.core.Consumer.from(group, group + "-0")));
        denied(source, c -> c.xadd(stream, Map.of("fake", "job")));
        denied(source, c -> c.del(stream));
        denied(source, c -> c.get("geocrop:tiles:any"));
        denied(source, c -> c.set("geocrop:tiles:any", "x"));
        denied(source, c -> c.xgroupCreate(XReadArgs.StreamOffset.latest("other"), "g"));
        denied(source, c -> c.configSet("aclfile", "/tmp/x"));
        denied(source, RedisCommands::flushall);
    }

    @Test
    void tileRenderMayOnlyReadAndWriteCachedTiles() {
        RedisCommands<String, String> r = connect("tile-render", PASSWORDS.get("tile-render")).sync();
        // RedisTileCache.put: SET key value EX ttl.
        assertEquals("OK", r.set("geocrop:tiles:crop/1/2/3@etag", "png", io.lettuce.core.SetArgs.Builder.ex(60)));
        assertEquals("png", r.get("geocrop:tiles:crop/1/2/3@etag"));
        denied(r, c -> c.xadd("geocrop:jobs", Map.of("fake", "job")));
        denied(r, c -> c.get("geocrop:ratelimit:jobs:1.2.3.4"));
        denied(r, c -> c.del("geocrop:tiles:crop/1/2/3@etag"));
        denied(r, c -> c.keys("geocrop:tiles:*"));
        denied(r, RedisCommands::flushdb);
    }

    @Test
    void theWorkersMayConnectButTouchNothing() {
        for (String user : List.of("extract-features", "score-tile")) {
            RedisCommands<String, String> r = connect(user, PASSWORDS.get(user)).sync();
            assertEquals("PONG", r.ping());
            denied(r, c -> c.xadd("geocrop:jobs", Map.of("fake", "job")));
            denied(r, c -> c.get("geocrop:tiles:any"));
            denied(r, c -> c.set("geocrop:tiles:any", "x"));
            denied(r, c -> c.incr("geocrop:ratelimit:jobs:x"));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        for (String user : USERS) {
            assertThrows(RedisConnectionException.class, () -> connect(user, "wrong-" + PASSWORDS.get(user)).sync().ping(), user);
        }
    }

    @Test
    void theStatefulSetLoadsTheFileTheInitContainerWrites() {
        JsonNode spec = Deployables.render("infra/k8s").ofKind("StatefulSet").stream().filter(r -> r.name().equals("redis"))
                .findFirst().orElseThrow().doc().at("/spec/template/spec");
        JsonNode init = spec.at("/initContainers/0");
        assertEquals("[\"/bin/sh\",\"/scripts/render-acl.sh\",\"/run/redis-acl/users.acl\"]", init.path("command").toString());
        String args = spec.at("/containers/0/args").toString();
        assertTrue(args.contains("\"--aclfile\",\"/run/redis-acl/users.acl\""), args);
        for (String user : List.of("submit-job", "extract-features", "score-tile", "tile-render", "admin")) {
            String var = "REDIS_" + user.toUpperCase().replace('-', '_') + "_PASSWORD";
            assertEquals("secret:geocrop-redis-" + user + "/password", InfraScripts.env(init).get(var), var);
        }
    }

    // ---- helpers ----

    private static Map<String, String> passwordEnv() {
        Map<String, String> env = new HashMap<>();
        for (String user : USERS) {
            env.put("REDIS_" + user.toUpperCase().replace('-', '_') + "_PASSWORD", PASSWORDS.get(user));
        }
        return env;
    }

    /** A Lettuce connection as {@code user} (null: the unauthenticated "default" user). */
    private static StatefulRedisConnection<String, String> connect(String user, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(5));
        if (user != null) {
            uri.withAuthentication(user, password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        CLIENTS.add(client);
        return client.connect();
    }

    /** Redis answers NOPERM. */
    private static void denied(RedisCommands<String, String> r, Consumer<RedisCommands<String, String>> command) {
        RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class, () -> command.accept(r));
        assertTrue(String.valueOf(e.getMessage()).startsWith("NOPERM"), e.getMessage());
    }
}
