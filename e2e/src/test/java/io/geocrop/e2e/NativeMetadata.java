package io.geocrop.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A function's own GraalVM reachability metadata
 * ({@code functions/<name>/src/main/resources/META-INF/native-image/io.geocrop/geocrop-<name>/reachability-metadata.json}),
 * read the way native-image reads its {@code resources} globs: {@code *} matches within one path segment, {@code **}
 * any number of whole segments.
 */
record NativeMetadata(JsonNode json, List<String> globs, List<Pattern> patterns) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path file(Path root, String function) {
        return root.resolve("functions/" + function + "/src/main/resources/META-INF/native-image/io.geocrop/geocrop-"
                + function + "/reachability-metadata.json");
    }

    static NativeMetadata read(Path file) throws IOException {
        JsonNode json = JSON.readTree(file.toFile());
        List<String> globs = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode resource : json.path("resources")) {
            String glob = resource.path("glob").asText(null);
            if (glob != null) {
                globs.add(glob);
                patterns.add(globToRegex(glob));
            }
        }
        return new NativeMetadata(json, globs, patterns);
    }

    /** Whether some resource glob matches {@code name} (a classpath resource name, no leading '/'). */
    boolean covers(String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /** native-image's glob syntax: {@code **} whole segments (also none), {@code *} within a segment. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] segments = glob.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("**")) {
                // Any number of segments, including none (and then no separator either).
                regex.append(last ? ".*" : "(?:[^/]*/)*");
                continue;
            }
            for (String part : segment.split("\\*", -1)) {
                regex.append(Pattern.quote(part)).append("[^/]*");
            }
            regex.setLength(regex.length() - "[^/]*".length());
            if (!last) {
                regex.append('/');
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** The foreign downcalls, each as "returnType(parameterTypes)" with its options. */
    List<String> downcalls() {
        List<String> out = new ArrayList<>();
        for (JsonNode d : json.path("foreign").path("downcalls")) {
            out.add(d.path("returnType").asText() + d.path("parameterTypes").toString()
                    + (d.has("options") ? d.get("options").toString() : "{}"));
        }
        return out;
    }

    /** The types registered for JNI access. */
    List<String> jniTypes() {
        List<String> out = new ArrayList<>();
        for (JsonNode t : json.path("jni")) {
            out.add(t.path("type").asText());
        }
        return out;
    }
}
