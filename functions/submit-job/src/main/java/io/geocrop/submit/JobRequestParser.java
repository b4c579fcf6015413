package io.geocrop.submit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.platform.problem.Problem;
import io.geocrop.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code POST /jobs} body strictly: a JSON object with exactly the fields {@code lon}, {@code lat},
 * {@code radius_m} and {@code year}, numbers as JSON numbers. Syntax and type errors are 400 problems naming the
 * field; rule violations are left to {@link JobRequestRules} (422).
 */
public final class JobRequestParser {
    /** Largest accepted body; a job request is about 80 bytes. */
    public static final int MAX_BODY_BYTES = 4096;
    static final Set<String> FIELDS = Set.of("lon", "lat", "radius_m", "year");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // {...}garbage is not a job request: anything after the object is an error naming the body.
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JobRequestRules rules;

    public JobRequestParser(JobRequestRules rules) {
        this.rules = rules;
    }

    public JobRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badField("body", "is required: send {\"lon\", \"lat\", \"radius_m\", \"year\"} as JSON");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw ProblemException.ofField(413, "body", "at most " + MAX_BODY_BYTES + " bytes",
                    "body: a job request is at most " + MAX_BODY_BYTES + " bytes, got " + body.length);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badField("body", e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                    && e.getOriginalMessage().contains("Trailing token")
                    ? "has content after the JSON object" : "is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ProblemException.badField("body", "could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badField("body", "must be a JSON object");
        }
        List<Problem.InvalidField> errors = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new Problem.InvalidField(name, "is not a known field; expected lon, lat, radius_m, year"));
            }
        }
        Double lon = number(root, "lon", errors);
        Double lat = number(root, "lat", errors);
        Double radius = number(root, "radius_m", errors);
        Integer year = integer(root, "year", errors);
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
            throw ProblemException.of(400, detail, errors, Map.of());
        }
        return rules.validate(lon, lat, radius, year);
    }

    private static Double number(JsonNode root, String field, List<Problem.InvalidField> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(new Problem.InvalidField(field, "must be a JSON number, got " + describe(node)));
            return null;
        }
        return node.doubleValue();
    }

    private static Integer integer(JsonNode root, String field, List<Problem.InvalidField> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errors.add(new Problem.InvalidField(field, "must be a whole number such as 2024, got " + describe(node)));
            return null;
        }
        return node.intValue();
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
