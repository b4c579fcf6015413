package io.geocrop.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says, read from its sources: the event types it emits, each function's POST routes, and the
 * environment variables its configuration reads. Reading sources (not compiled classes) keeps these checks
 * independent of what was built last.
 */
final class Code {
    private static final Pattern EMITS = Pattern.compile("GeoCropEvents\\.create\\(\\s*EventType\\.([A-Z_]+)");
    private static final Pattern CONTROLLER = Pattern.compile("@Controller\\s*(?:\\(\\s*(?:value\\s*=\\s*)?\"([^\"]*)\"[^)]*\\))?");
    private static final Pattern POST = Pattern.compile("@Post\\s*(?:\\(([^)]*)\\))?");
    private static final Pattern LOGBACK_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern CONFIG_RECORD = Pattern.compile(
            "@ConfigurationProperties\\(\\s*\"([a-z0-9.-]+)\"\\s*\\)[^{]*?record\\s+\\w+\\s*\\(", Pattern.DOTALL);

    private Code() {}

    /** Main (non-test) Java sources of every library and function. */
    static List<Path> mainSources() {
        List<Path> out = new ArrayList<>();
        for (String top : List.of("libs", "functions")) {
            try (Stream<Path> modules = Files.list(Repo.path(top))) {
                for (Path module : modules.sorted().toList()) {
                    out.addAll(javaFiles(module.resolve("src/main/java")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the {@code EventType} constants the main code creates events of. */
    static Set<String> emittedEventTypes() {
        Set<String> types = new TreeSet<>();
        for (Path file : mainSources()) {
            Matcher m = EMITS.matcher(Repo.read(file));
            while (m.find()) {
                types.add(m.group(1));
            }
        }
        return types;
    }

    /** All main source text of one function module. */
    static String functionSource(String function) {
        StringBuilder sb = new StringBuilder();
        for (Path f : javaFiles(Deployables.function(function).resolve("src/main/java"))) {
            sb.append(Repo.read(f)).append('\n');
        }
        return sb.toString();
    }

    /** The POST routes a function's controllers declare ({@code @Controller} path + {@code @Post} path). */
    static Set<String> postRoutes(String function) {
        Set<String> routes = new TreeSet<>();
        for (Path f : javaFiles(Deployables.function(function).resolve("src/main/java"))) {
            String text = Repo.read(f);
            Matcher c = CONTROLLER.matcher(text);
            if (!c.find()) {
                continue;
            }
            String base = c.group(1) == null ? "/" : c.group(1);
            Matcher p = POST.matcher(text);
            while (p.find()) {
                String args = p.group(1) == null ? "" : p.group(1).trim();
                String sub = "";
                Matcher value = Pattern.compile("^(?:value\\s*=\\s*)?\"([^\"]*)\"").matcher(args);
                if (value.find()) {
                    sub = value.group(1);
                } else {
                    Matcher uri = Pattern.compile("(?:value|uri)\\s*=\\s*\"([^\"]*)\"").matcher(args);
                    if (uri.find()) {
                        sub = uri.group(1);
                    }
                }
                routes.add(join(base, sub));
            }
        }
        return routes;
    }

    static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Environment variables a function's configuration reads: the {@code ${NAME:default}} placeholders of
     * every {@code application*.yml} in the libraries and the function, and the names Micronaut derives from
     * the {@code @ConfigurationProperties} records of the libraries and the function (prefix + component,
     * upper snake case).
     */
    static Set<String> configurationEnv(String function) {
        Set<String> names = new TreeSet<>();
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> libs = Files.list(Repo.path("libs"))) {
            roots.addAll(libs.sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        roots.add(Deployables.function(function));
        for (Path module : roots) {
            Path resources = module.resolve("src/main/resources");
            if (Files.isDirectory(resources)) {
                try (Stream<Path> files = Files.list(resources)) {
                    for (Path yml : files.filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
                        Matcher m = PLACEHOLDER.matcher(Repo.read(yml));
                        while (m.find()) {
                            names.add(m.group(1));
                        }
                    }
                    // logback.xml reads the environment too: ${NAME:-default} (logback's own substitution syntax).
                    Path logback = resources.resolve("logback.xml");
                    if (Files.isRegularFile(logback)) {
                        Matcher m = LOGBACK_PLACEHOLDER.matcher(Repo.read(logback));
                        while (m.find()) {
                            names.add(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (Path java : javaFiles(module.resolve("src/main/java"))) {
                String text = Repo.read(java);
                Matcher m = CONFIG_RECORD.matcher(text);
                while (m.find()) {
                    for (String component : recordComponents(text, m.end())) {
                        names.add(envName(m.group(1) + "." + component));
                    }
                }
            }
        }
        return names;
    }

    /** Micronaut's own settings documented in the configuration metadata of the jars on the classpath. */
    static Set<String> frameworkEnv() {
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> files = Code.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (var property : Repo.JSON.readTree(in).path("properties")) {
                        String name = property.path("name").asText("");
                        if (name.startsWith("micronaut.") || name.startsWith("endpoints.")) {
                            names.add(envName(name));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Micronaut's mapping of a property to an environment variable: dots and dashes to _, upper case. */
    static String envName(String property) {
        String snake = property.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return snake.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The component names of the record header starting at {@code start} (just after its '('). */
    private static List<String> recordComponents(String text, int start) {
        int depth = 1;
        int i = start;
        StringBuilder current = new StringBuilder();
        List<String> params = new ArrayList<>();
        while (i < text.length() && depth > 0) {
            char ch = text.charAt(i++);
            if (ch == '(' || ch == '<') {
                depth++;
            } else if (ch == ')' || ch == '>') {
                depth--;
                if (depth == 0) {
                    break;
                }
            } else if (ch == ',' && depth == 1) {
                params.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(ch);
        }
        params.add(current.toString());
        List<String> names = new ArrayList<>();
        for (String p : params) {
            String cleaned = p.replaceAll("@\\w+(\\.\\w+)*(\\([^)]*\\))?", " ").trim();
            String[] words = cleaned.split("\\s+");
            if (words.length >= 2) {
                names.add(words[words.length - 1]);
            }
        }
        return names;
    }
}
