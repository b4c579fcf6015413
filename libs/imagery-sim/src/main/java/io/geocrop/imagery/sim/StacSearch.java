package io.geocrop.imagery.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A parsed STAC item search ({@code GET} query parameters or {@code POST} JSON body), validated with messages that
 * name the bad parameter. Supports {@code bbox}, {@code intersects} (its bounding box is used), {@code datetime}
 * (instant, closed or open interval, RFC 3339 or plain dates), {@code collections}, {@code ids}, {@code limit},
 * {@code query} on {@code eo:cloud_cover} (eq, neq, lt, lte, gt, gte) and {@code platform} (eq, neq, in), and the
 * paging {@code token} that the server's {@code next} links carry.
 *
 * @param bbox        [minLon, minLat, maxLon, maxLat], or null when the search names ids only
 * @param start       interval start (inclusive)
 * @param end         interval end (inclusive)
 * @param collections requested collections, or null for all
 * @param ids         requested item ids, or null for any
 * @param limit       page size
 * @param offset      index of the first item of this page among all matches
 * @param query       the {@code query} object, or null
 */
record StacSearch(double[] bbox, Instant start, Instant end, List<String> collections, List<String> ids, int limit,
                  int offset, ObjectNode query) {

    /** Default and largest page sizes. */
    static final int DEFAULT_LIMIT = 10, MAX_LIMIT = 1000;
    private static final String TOKEN_PREFIX = "next:";

    /** A bad search parameter (the server answers 400 with this message). */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    static StacSearch fromQueryParameters(Map<String, String> params, Supplier<Instant> now) {
        for (String name : params.keySet()) {
            if (!List.of("bbox", "intersects", "datetime", "collections", "ids", "limit", "query", "token", "page")
                    .contains(name)) {
                throw new BadRequest("unknown search parameter '" + name + "'");
            }
        }
        double[] bbox = params.containsKey("bbox") ? parseBbox(splitCsv(params.get("bbox"), "bbox")) : null;
        if (params.containsKey("intersects")) {
            bbox = requireSingleArea(bbox, intersectsBbox(readJson(params.get("intersects"), "intersects")));
        }
        Instant[] interval = parseDatetime(params.get("datetime"), now);
        List<String> collections = params.containsKey("collections") ? splitCsv(params.get("collections"), "collections") : null;
        List<String> ids = params.containsKey("ids") ? splitCsv(params.get("ids"), "ids") : null;
        int limit = params.containsKey("limit") ? parseLimit(params.get("limit")) : DEFAULT_LIMIT;
        ObjectNode query = null;
        if (params.containsKey("query")) {
            JsonNode q = readJson(params.get("query"), "query");
            if (!q.isObject()) {
                throw new BadRequest("query must be a JSON object such as {\"eo:cloud_cover\":{\"lte\":20}}");
            }
            query = (ObjectNode) q;
        }
        int offset = parseToken(params.get("token"), params.get("page"), limit);
        return validated(new StacSearch(bbox, interval[0], interval[1], collections, ids, limit, offset, query));
    }

    static StacSearch fromJson(JsonNode body, Supplier<Instant> now) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("search body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!List.of("bbox", "intersects", "datetime", "collections", "ids", "limit", "query", "token", "page",
                    "fields", "sortby", "filter-lang").contains(name)) {
                throw new BadRequest("unknown search field '" + name + "'");
            }
        }
        double[] bbox = null;
        if (body.has("bbox") && !body.get("bbox").isNull()) {
            JsonNode b = body.get("bbox");
            if (!b.isArray()) {
                throw new BadRequest("bbox must be an array of 4 (or 6) numbers");
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode n : b) {
                if (!n.isNumber()) {
                    throw new BadRequest("bbox must hold numbers only, got " + n);
                }
                parts.add(n.asText());
            }
            bbox = parseBbox(parts);
        }
        if (body.has("intersects") && !body.get("intersects").isNull()) {
            bbox = requireSingleArea(bbox, intersectsBbox(body.get("intersects")));
        }
        JsonNode dt = body.get("datetime");
        if (dt != null && !dt.isNull() && !dt.isTextual()) {
            throw new BadRequest("datetime must be a string (an RFC 3339 instant or interval)");
        }
        Instant[] interval = parseDatetime(dt == null || dt.isNull() ? null : dt.asText(), now);
        List<String> collections = stringList(body, "collections");
        List<String> ids = stringList(body, "ids");
        int limit = DEFAULT_LIMIT;
        if (body.has("limit") && !body.get("limit").isNull()) {
            JsonNode l = body.get("limit");
            if (!l.canConvertToInt() || !l.isIntegralNumber()) {
                throw new BadRequest("limit must be an integer 1.." + MAX_LIMIT + ", got " + l);
            }
            limit = checkLimit(l.asInt());
        }
        ObjectNode query = null;
        if (body.has("query") && !body.get("query").isNull()) {
            if (!body.get("query").isObject()) {
                throw new BadRequest("query must be an object such as {\"eo:cloud_cover\":{\"lte\":20}}");
            }
            query = (ObjectNode) body.get("query");
        }
        JsonNode token = body.get("token"), page = body.get("page");
        int offset = parseToken(token == null || token.isNull() ? null : token.asText(),
                page == null || page.isNull() ? null : page.asText(), limit);
        return validated(new StacSearch(bbox, interval[0], interval[1], collections, ids, limit, offset, query));
    }

    /** The paging token of the page after this one. */
    String nextToken() {
        return TOKEN_PREFIX + (offset + limit);
    }

    /** Whether the search asks for the simulated collection (or for any). */
    boolean includesCollection(String id) {
        return collections == null || collections.contains(id);
    }

    /** Whether an item passes the {@code query} filter. */
    boolean matches(String platform, double cloudCover) {
        if (query == null) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode ops = e.getValue();
            for (Iterator<Map.Entry<String, JsonNode>> o = ops.fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> op = o.next();
                boolean ok = switch (e.getKey()) {
                    case "eo:cloud_cover" -> compare(cloudCover, op.getKey(), op.getValue().asDouble());
                    case "platform" -> switch (op.getKey()) {
                        case "eq" -> platform.equals(op.getValue().asText());
                        case "neq" -> !platform.equals(op.getValue().asText());
                        default -> {
                            boolean any = false;
                            for (JsonNode v : op.getValue()) {
                                any |= platform.equals(v.asText());
                            }
                            yield any;
                        }
                    };
                    default -> throw new IllegalStateException("validated");
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean compare(double value, String op, double operand) {
        return switch (op) {
            case "eq" -> value == operand;
            case "neq" -> value != operand;
            case "lt" -> value < operand;
            case "lte" -> value <= operand;
            case "gt" -> value > operand;
            case "gte" -> value >= operand;
            default -> throw new IllegalStateException("validated");
        };
    }

    private static StacSearch validated(StacSearch s) {
        if (s.query != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = s.query.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String property = e.getKey();
                if (!property.equals("eo:cloud_cover") && !property.equals("platform")) {
                    throw new BadRequest("query on '" + property + "' is not supported; use eo:cloud_cover or platform");
                }
                if (!e.getValue().isObject() || e.getValue().isEmpty()) {
                    throw new BadRequest("query." + property + " must be an object of operators, e.g. {\"lte\": 20}");
                }
                for (Iterator<Map.Entry<String, JsonNode>> o = e.getValue().fields(); o.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = o.next();
                    boolean numeric = property.equals("eo:cloud_cover");
                    List<String> allowed = numeric ? List.of("eq", "neq", "lt", "lte", "gt", "gte") : List.of("eq", "neq", "in");
                    if (!allowed.contains(op.getKey())) {
                        throw new BadRequest("query." + property + ": operator '" + op.getKey() + "' is not one of " + allowed);
                    }
                    JsonNode v = op.getValue();
                    if (numeric && !v.isNumber() || !numeric && (op.getKey().equals("in") ? !v.isArray() : !v.isTextual())) {
                        throw new BadRequest("query." + property + "." + op.getKey() + " has a value of the wrong type: " + v);
                    }
                }
            }
        }
        return s;
    }

    private static double[] parseBbox(List<String> parts) {
        if (parts.size() != 4 && parts.size() != 6) {
            throw new BadRequest("bbox must have 4 (or 6) numbers: minLon,minLat,maxLon,maxLat; got " + parts.size());
        }
        double[] v = new double[parts.size()];
        for (int k = 0; k < v.length; k++) {
            try {
                v[k] = Double.parseDouble(parts.get(k).trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("bbox value '" + parts.get(k) + "' is not a number");
            }
        }
        double[] b = v.length == 4 ? v : new double[] {v[0], v[1], v[3], v[4]};
        for (double x : b) {
            if (!Double.isFinite(x)) {
                throw new BadRequest("bbox values must be finite numbers");
            }
        }
        if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90) {
            throw new BadRequest("bbox is outside WGS84 bounds: longitudes must be in [-180, 180] and latitudes in [-90, 90]");
        }
        if (b[0] > b[2]) {
            throw new BadRequest("bbox minLon " + b[0] + " is greater than maxLon " + b[2]
                    + " (boxes crossing the antimeridian are not supported)");
        }
        if (b[1] > b[3]) {
            throw new BadRequest("bbox minLat " + b[1] + " is greater than maxLat " + b[3]);
        }
        return b;
    }

    private static double[] requireSingleArea(double[] bbox, double[] fromIntersects) {
        if (bbox != null) {
            throw new BadRequest("give either bbox or intersects, not both");
        }
        return fromIntersects;
    }

    /** The bounding box of a GeoJSON geometry's coordinates. */
    private static double[] intersectsBbox(JsonNode geometry) {
        if (!geometry.isObject() || !geometry.path("type").isTextual() || !geometry.has("coordinates")) {
            throw new BadRequest("intersects must be a GeoJSON geometry with type and coordinates");
        }
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        collect(geometry.get("coordinates"), b);
        if (!(b[0] <= b[2])) {
            throw new BadRequest("intersects geometry has no coordinates");
        }
        return parseBbox(List.of(String.valueOf(b[0]), String.valueOf(b[1]), String.valueOf(b[2]), String.valueOf(b[3])));
    }

    private static void collect(JsonNode coords, double[] b) {
        if (coords.isArray() && coords.size() >= 2 && coords.get(0).isNumber()) {
            b[0] = Math.min(b[0], coords.get(0).asDouble());
            b[1] = Math.min(b[1], coords.get(1).asDouble());
            b[2] = Math.max(b[2], coords.get(0).asDouble());
            b[3] = Math.max(b[3], coords.get(1).asDouble());
        } else if (coords.isArray()) {
            for (JsonNode c : coords) {
                collect(c, b);
            }
        } else {
            throw new BadRequest("intersects coordinates must be nested arrays of numbers");
        }
    }

    /** [start, end] of a STAC datetime parameter; open ends become the first simulated date and now. */
    static Instant[] parseDatetime(String text, Supplier<Instant> now) {
        Instant first = Acquisition.FIRST_DATE.atStartOfDay().toInstant(ZoneOffset.UTC);
        if (text == null || text.isBlank()) {
            return new Instant[] {first, now.get()};
        }
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            throw new BadRequest("datetime '" + text + "' must be an instant or an interval start/end");
        }
        if (parts.length == 1) {
            if (parts[0].equals("..")) {
                throw new BadRequest("datetime '..' is only allowed as one end of an interval");
            }
            return new Instant[] {instant(parts[0], false), instant(parts[0], true)};
        }
        boolean openStart = parts[0].isEmpty() || parts[0].equals("..");
        boolean openEnd = parts[1].isEmpty() || parts[1].equals("..");
        if (openStart && openEnd) {
            throw new BadRequest("datetime interval '" + text + "' is open at both ends");
        }
        Instant start = openStart ? first : instant(parts[0], false);
        Instant end = openEnd ? now.get() : instant(parts[1], true);
        if (start.isAfter(end)) {
            throw new BadRequest("datetime interval '" + text + "' ends before it starts");
        }
        return new Instant[] {start, end};
    }

    /** An RFC 3339 instant, or a plain date taken as the start (or end) of that UTC day. */
    private static Instant instant(String text, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return endOfDay ? d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1)
                        : d.atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest("datetime value '" + text + "' is not an RFC 3339 date-time (e.g. 2024-01-05T00:00:00Z)");
        }
    }

    private static int parseLimit(String text) {
        try {
            return checkLimit(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be an integer 1.." + MAX_LIMIT + ", got '" + text + "'");
        }
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    /** The offset from a {@code token} ({@code next:N}) or a 1-based {@code page}. */
    private static int parseToken(String token, String page, int limit) {
        if (token != null) {
            if (!token.startsWith(TOKEN_PREFIX)) {
                throw new BadRequest("token '" + token + "' is not a paging token of this server");
            }
            try {
                int offset = Integer.parseInt(token.substring(TOKEN_PREFIX.length()));
                if (offset < 0) {
                    throw new NumberFormatException();
                }
                return offset;
            } catch (NumberFormatException e) {
                throw new BadRequest("token '" + token + "' is not a paging token of this server");
            }
        }
        if (page != null) {
            try {
                int p = Integer.parseInt(page.trim());
                if (p < 1) {
                    throw new NumberFormatException();
                }
                return Math.multiplyExact(p - 1, limit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new BadRequest("page must be a positive integer, got '" + page + "'");
            }
        }
        return 0;
    }

    private static List<String> splitCsv(String text, String name) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            if (s.isBlank()) {
                throw new BadRequest(name + " has an empty value in '" + text + "'");
            }
            out.add(s.trim());
        }
        return out;
    }

    private static List<String> stringList(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new BadRequest(name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw new BadRequest(name + " must hold strings only, got " + v);
            }
            out.add(v.asText());
        }
        return out;
    }

    private static JsonNode readJson(String text, String name) {
        try {
            return SimulatedDea.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadRequest(name + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
