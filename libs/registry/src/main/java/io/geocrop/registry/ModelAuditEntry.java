package io.geocrop.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One recorded change of an alias: a promotion or a rollback, who made it and when, the metrics that justified it
 * and the version the alias pointed at before. Registries keep these append-only ({@link ModelRegistry#audit}).
 *
 * @param action          {@code promote} or {@code rollback}
 * @param alias           the alias that moved
 * @param version         the version it points at now
 * @param previousVersion the version it pointed at before, or null if it was not set
 * @param user            who did it (the OS user of the CLI, or {@code GEOCROP_USER})
 * @param at              when
 * @param metrics         the evaluation shown when deciding (e.g. {@code challenger_kappa}, {@code champion_kappa})
 * @param note            free text, e.g. "forced: kappa 0.02 below the champion"
 */
public record ModelAuditEntry(
        String action,
        String alias,
        String version,
        String previousVersion,
        String user,
        Instant at,
        Map<String, Double> metrics,
        String note) {

    /** The action of a promotion. */
    public static final String PROMOTE = "promote";
    /** The action of a rollback. */
    public static final String ROLLBACK = "rollback";

    public ModelAuditEntry {
        Objects.requireNonNull(action, "action");
        RegistryNames.requireAlias(alias);
        RegistryNames.requireVersion(version);
        if (previousVersion != null) {
            RegistryNames.requireVersion(previousVersion);
        }
        Objects.requireNonNull(at, "at");
        user = user == null || user.isBlank() ? "unknown" : user;
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        note = note == null ? "" : note;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The entry as compact UTF-8 JSON (snake_case; {@code at} as ISO-8601). */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("action", action);
        o.put("alias", alias);
        o.put("version", version);
        if (previousVersion == null) {
            o.putNull("previous_version");
        } else {
            o.put("previous_version", previousVersion);
        }
        o.put("user", user);
        o.put("at", at.toString());
        ObjectNode m = o.putObject("metrics");
        metrics.forEach(m::put);
        o.put("note", note);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an entry written by {@link #toJson()}.
     *
     * @param where named in the error, e.g. the object key or MLflow tag
     * @throws RegistryException when it is not such an entry
     */
    public static ModelAuditEntry fromJson(byte[] json, String where) {
        try {
            JsonNode o = JSON.readTree(json);
            Map<String, Double> metrics = new TreeMap<>();
            o.path("metrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            JsonNode previous = o.path("previous_version");
            return new ModelAuditEntry(o.path("action").asText(), o.path("alias").asText(), o.path("version").asText(),
                    previous.isTextual() ? previous.asText() : null, o.path("user").asText(null),
                    Instant.parse(o.path("at").asText()), metrics, o.path("note").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new RegistryException("model audit entry " + where + " is unreadable: " + e.getMessage(), e);
        }
    }
}
