package io.geocrop.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Flyway scripts a dialect has, so the tests' "all applied" checks follow new migrations. */
final class MigrationScripts {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.+\\.sql");

    private MigrationScripts() {
    }

    /** The versions of the {@code V<n>__*.sql} scripts in {@code db/migration/<dialect>} (h2 or postgresql), in order. */
    static List<String> versions(String dialect) {
        try (Stream<Path> files = Files.list(Path.of(MigrationScripts.class.getResource("/db/migration/" + dialect).toURI()))) {
            List<String> versions = files.map(f -> SCRIPT.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1))
                    .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
            if (versions.size() < 4) { // V1 to V3 and V5 at least: a wrong resource path must not pass as "none"
                throw new IllegalStateException("only " + versions + " migration scripts found for " + dialect);
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many scripts {@link #versions} finds. */
    static int count(String dialect) {
        return versions(dialect).size();
    }
}
