package io.geocrop.imagery.stac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads STAC items (GeoJSON Features) into {@link StacItem}s. Unknown fields are ignored; an item without an id, a
 * datetime or assets, or with malformed required parts, is a {@link StacException} naming the item.
 *
 * <p>Band assets are found whatever naming the catalogue uses (see {@link #bandOf}), only among GeoTIFF assets
 * (Earth Search also lists JPEG 2000 copies such as {@code red-jp2}, which GeoCrop cannot read). The DN to
 * reflectance conversion follows the rule documented on {@link StacAsset}. Thread-safe.
 */
public final class StacItemParser {
    private static final Logger LOG = LoggerFactory.getLogger(StacItemParser.class);
    /** Sentinel-2 L2A quantification: reflectance = DN / 10000. */
    static final double DEFAULT_REFLECTANCE_SCALE = 1e-4;
    private static final Pattern SENTINEL_2 = Pattern.compile("(?i).*\\bsentinel-?2.*");
    private static final Pattern S2_COLLECTION = Pattern.compile("(?i).*(sentinel-?2|\\bs2).*");
    private static final Pattern EPSG_CODE = Pattern.compile("(?i)EPSG:(\\d{4,6})");
    private static final Pattern MGRS_TILE = Pattern.compile("\\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z][A-HJ-NP-V]");
    private static final int MAX_ID_LENGTH = 512;

    private final HrefResolver hrefResolver;

    /** A parser that maps asset hrefs with {@code hrefResolver}. */
    public StacItemParser(HrefResolver hrefResolver) {
        this.hrefResolver = Objects.requireNonNull(hrefResolver, "hrefResolver");
    }

    /** A parser with the href mapping of {@link StacSettings#defaults()} (DEA's buckets in af-south-1). */
    public static StacItemParser withDefaults() {
        return new StacItemParser(StacSettings.defaults().hrefResolver());
    }

    /** Parses one item from JSON text. */
    public StacItem parse(String json) {
        JsonNode node;
        try {
            node = StacJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StacException("malformed STAC item JSON: " + e.getOriginalMessage()
                    + locationOf(e), e);
        }
        return parse(node);
    }

    /** Parses one item (a GeoJSON Feature object). */
    public StacItem parse(JsonNode feature) {
        return parse(feature, "STAC item");
    }

    /**
     * Parses every feature of an ItemCollection (a search page), in order.
     *
     * @param source names the page in error messages (e.g. the URL it came from)
     */
    public List<StacItem> parseFeatureCollection(JsonNode collection, String source) {
        JsonNode features = collection == null ? null : collection.get("features");
        if (features == null || !features.isArray()) {
            throw new StacException(source + " is not a STAC ItemCollection: it has no \"features\" array");
        }
        List<StacItem> items = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            items.add(parse(features.get(i), "feature #" + i + " of " + source));
        }
        return items;
    }

    private StacItem parse(JsonNode f, String where) {
        if (f == null || !f.isObject()) {
            throw new StacException(where + " is not a JSON object");
        }
        String type = StacJson.text(f, "type");
        if (f.has("type") && !"Feature".equals(type)) {
            throw new StacException(where + " is not a GeoJSON Feature (type " + f.get("type") + ")");
        }
        String id = StacJson.text(f, "id");
        if (id == null || id.isBlank()) {
            throw new StacException(where + " has no \"id\"");
        }
        if (id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new StacException(where + " has an unusable id '" + StacJson.excerpt(id, 80) + "'");
        }
        String name = "STAC item " + id;
        JsonNode props = f.get("properties");
        if (props == null || !props.isObject()) {
            throw new StacException(name + " has no \"properties\" object");
        }
        Instant datetime = datetime(props, name);
        JsonNode assetsNode = f.get("assets");
        if (assetsNode == null || !assetsNode.isObject() || assetsNode.isEmpty()) {
            throw new StacException(name + " has no assets");
        }

        String collection = StacJson.text(f, "collection");
        String platform = StacJson.text(props, "platform");
        boolean sentinel2 = isSentinel2(platform, StacJson.text(props, "constellation"), collection);
        Boolean boaOffsetApplied = boaOffsetApplied(props);
        URI base = selfLink(f);
        String itemRegion = StacJson.text(props, "storage:region");

        Map<String, StacAsset> assets = new LinkedHashMap<>();
        Map<S2Band, StacAsset> bands = new EnumMap<>(S2Band.class);
        Map<S2Band, Boolean> bandFromKey = new EnumMap<>(S2Band.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = assetsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode a = e.getValue();
            S2Band band = sentinel2 && a.isObject() ? bandOf(key, a.get("eo:bands")) : null;
            StacAsset asset = asset(name, key, a, props, band, boaOffsetApplied, itemRegion, base, id);
            assets.put(key, asset);
            if (band == null || !asset.isGeoTiff()) {
                continue;
            }
            // Several GeoTIFF assets may map to one band; the one whose key names the band wins, else the first.
            boolean keyNamesBand = S2Band.fromName(key).orElse(null) == band;
            StacAsset previous = bands.get(band);
            if (previous == null || keyNamesBand && !bandFromKey.get(band)) {
                bands.put(band, asset);
                bandFromKey.put(band, keyNamesBand);
            } else {
                LOG.debug("{}: assets '{}' and '{}' both hold band {}; using '{}'", name, previous.key(), key, band,
                        previous.key());
            }
        }

        return new StacItem(id, collection, datetime, bbox(f, name), geometry(f, name), epsg(props),
                StacJson.number(props, "eo:cloud_cover"), mgrsTile(props), platform,
                firstText(props, "s2:processing_baseline", "sentinel:processing_baseline"), boaOffsetApplied,
                bands, assets);
    }

    /**
     * The band an asset holds, from (first match wins): a single {@code eo:bands} entry whose {@code name} is a
     * band id ({@code B04}); the asset key as band id or alias ({@code B04}, {@code red}); that entry's
     * {@code name} or {@code common_name} as an alias ({@code rededge1}; the shared common name
     * {@code rededge} matches nothing). Multi-band assets ({@code visual}) hold no single band.
     */
    static S2Band bandOf(String key, JsonNode eoBands) {
        JsonNode only = eoBands != null && eoBands.isArray() && eoBands.size() == 1 && eoBands.get(0).isObject()
                ? eoBands.get(0) : null;
        String eoName = StacJson.text(only, "name");
        if (eoName != null) {
            S2Band byId = S2Band.fromId(eoName).orElse(null);
            if (byId != null) {
                return byId;
            }
        }
        S2Band byKey = S2Band.fromName(key).orElse(null);
        if (byKey != null) {
            return byKey;
        }
        if (eoBands != null && eoBands.isArray() && eoBands.size() > 1) {
            return null;
        }
        S2Band byName = S2Band.fromName(eoName).orElse(null);
        return byName != null ? byName : S2Band.fromName(StacJson.text(only, "common_name")).orElse(null);
    }

    private StacAsset asset(String name, String key, JsonNode a, JsonNode props, S2Band band,
                            Boolean boaOffsetApplied, String itemRegion, URI base, String id) {
        String where = name + ": asset '" + StacJson.excerpt(key, 80) + "'";
        if (!a.isObject()) {
            throw new StacException(where + " is not a JSON object");
        }
        String href = StacJson.text(a, "href");
        if (href == null || href.isBlank()) {
            throw new StacException(where + " has no href");
        }
        String region = StacJson.text(a, "storage:region");
        URI resolved;
        try {
            resolved = hrefResolver.resolve(href, new HrefResolver.Context(id, key,
                    region != null ? region : itemRegion, base));
        } catch (IllegalArgumentException e) {
            throw new StacException(where + ": cannot resolve href: " + e.getMessage(), e);
        }
        if (resolved == null) {
            throw new StacException(where + ": the href resolver returned no URL for '" + href + "'");
        }
        JsonNode raster = firstRasterBand(a.get("raster:bands"));
        Double gsd = StacJson.number(a, "gsd");
        if (gsd == null) {
            gsd = StacJson.number(raster, "spatial_resolution");
        }
        if (gsd == null) {
            gsd = StacJson.number(props, "gsd");
        }
        List<Integer> shape = integers(a.has("proj:shape") ? a.get("proj:shape") : props.get("proj:shape"), 2, 2);
        List<Double> transform = numbers(a.has("proj:transform") ? a.get("proj:transform")
                : props.get("proj:transform"), 6, 9);
        if (transform != null && transform.size() != 6 && transform.size() != 9) {
            transform = null; // neither the 2D affine nor its 3x3 matrix form
        }
        Double nodata = nodata(raster);
        if (nodata == null && band != null) {
            nodata = 0.0; // DEA's and Earth Search's Sentinel-2 COGs use 0 for no data
        }
        double[] scaleOffset = scaleOffset(where, raster, band, boaOffsetApplied);
        List<String> roles = new ArrayList<>();
        JsonNode rolesNode = a.get("roles");
        if (rolesNode != null && rolesNode.isArray()) {
            rolesNode.forEach(r -> {
                if (r.isTextual()) {
                    roles.add(r.textValue());
                }
            });
        }
        try {
            return new StacAsset(key, resolved, href, StacJson.text(a, "type"), roles, gsd, shape, transform, nodata,
                    StacJson.text(raster, "data_type"), scaleOffset[0], scaleOffset[1]);
        } catch (IllegalArgumentException e) {
            throw new StacException(where + ": " + e.getMessage(), e);
        }
    }

    /** The DN to value conversion; the rule and its reasons are on {@link StacAsset}. */
    static double[] scaleOffset(String where, JsonNode raster, S2Band band, Boolean boaOffsetApplied) {
        Double scale = StacJson.number(raster, "scale");
        Double offset = StacJson.number(raster, "offset");
        if (scale != null && (!Double.isFinite(scale) || scale == 0) || offset != null && !Double.isFinite(offset)) {
            throw new StacException(where + " has an unusable raster:bands scale " + scale + " / offset " + offset);
        }
        if (band == S2Band.SCL) {
            return new double[] {1, 0};
        }
        if (band != null) {
            double s = scale != null ? scale : DEFAULT_REFLECTANCE_SCALE;
            if (Boolean.TRUE.equals(boaOffsetApplied)) {
                if (offset != null && offset != 0) {
                    LOG.debug("{}: boa_offset_applied is true, so raster:bands offset {} is not applied again",
                            where, offset);
                }
                return new double[] {s, 0};
            }
            return new double[] {s, offset != null ? offset : 0};
        }
        return new double[] {scale != null ? scale : 1, offset != null ? offset : 0};
    }

    private static JsonNode firstRasterBand(JsonNode rasterBands) {
        // Only a well-formed first band object counts: some items nest the list once more (DEA's preview asset).
        if (rasterBands != null && rasterBands.isArray() && !rasterBands.isEmpty() && rasterBands.get(0).isObject()) {
            return rasterBands.get(0);
        }
        return null;
    }

    private static Double nodata(JsonNode raster) {
        JsonNode v = raster == null ? null : raster.get("nodata");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) { // the raster extension spells the special values as strings
            return switch (v.textValue().toLowerCase(Locale.ROOT)) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }
        return null;
    }

    private static Instant datetime(JsonNode props, String name) {
        JsonNode v = props.get("datetime");
        if (v == null || v.isNull()) {
            throw new StacException(name + " has no datetime (items that only give start_datetime/end_datetime"
                    + " are not single acquisitions)");
        }
        if (!v.isTextual()) {
            throw new StacException(name + ": datetime must be an RFC 3339 string, got " + v.getNodeType());
        }
        try {
            return parseRfc3339(v.textValue());
        } catch (DateTimeParseException e) {
            throw new StacException(name + ": datetime '" + StacJson.excerpt(v.textValue(), 60)
                    + "' is not an RFC 3339 date-time", e);
        }
    }

    /** An RFC 3339 date-time ({@code 2024-07-10T07:41:33.657Z}, any offset, lower-case t/z, space separator). */
    static Instant parseRfc3339(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static LonLatBox bbox(JsonNode f, String name) {
        JsonNode b = f.get("bbox");
        if (b == null || b.isNull()) {
            return null;
        }
        List<Double> v = numbers(b, 4, 6);
        if (v == null || v.size() == 5) {
            throw new StacException(name + ": bbox must be 4 or 6 numbers, got " + StacJson.excerpt(b.toString(), 120));
        }
        boolean threeD = v.size() == 6;
        try {
            return new LonLatBox(v.get(0), v.get(1), v.get(threeD ? 3 : 2), v.get(threeD ? 4 : 3));
        } catch (IllegalArgumentException e) {
            throw new StacException(name + ": " + e.getMessage(), e);
        }
    }

    private static StacGeometry geometry(JsonNode f, String name) {
        JsonNode g = f.get("geometry");
        if (g == null || g.isNull()) {
            return null;
        }
        String type = StacJson.text(g, "type");
        if (type == null) {
            throw new StacException(name + ": geometry has no type");
        }
        JsonNode coords = g.get("coordinates");
        List<double[][][]> polygons = new ArrayList<>();
        try {
            switch (type) {
                case "Polygon" -> polygons.add(polygon(coords));
                case "MultiPolygon" -> {
                    requireArray(coords);
                    for (JsonNode p : coords) {
                        polygons.add(polygon(p));
                    }
                }
                default -> { } // footprints of other types are kept by type only
            }
            return new StacGeometry(type, polygons);
        } catch (IllegalArgumentException e) {
            throw new StacException(name + ": invalid " + type + " geometry: " + e.getMessage(), e);
        }
    }

    private static double[][][] polygon(JsonNode rings) {
        requireArray(rings);
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("a polygon needs at least one ring");
        }
        double[][][] out = new double[rings.size()][][];
        for (int r = 0; r < rings.size(); r++) {
            JsonNode ring = rings.get(r);
            requireArray(ring);
            out[r] = new double[ring.size()][];
            for (int p = 0; p < ring.size(); p++) {
                JsonNode pos = ring.get(p);
                requireArray(pos);
                if (pos.size() < 2 || !pos.get(0).isNumber() || !pos.get(1).isNumber()) {
                    throw new IllegalArgumentException("position " + StacJson.excerpt(pos.toString(), 60)
                            + " is not [lon, lat]");
                }
                out[r][p] = new double[] {pos.get(0).doubleValue(), pos.get(1).doubleValue()};
            }
        }
        return out;
    }

    private static void requireArray(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("coordinates are not nested arrays");
        }
    }

    private static Integer epsg(JsonNode props) {
        JsonNode v = props.get("proj:epsg");
        if (v != null && v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        String code = StacJson.text(props, "proj:code"); // projection extension v2
        if (code != null) {
            Matcher m = EPSG_CODE.matcher(code.trim());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return null;
    }

    private static String mgrsTile(JsonNode props) {
        String grid = StacJson.text(props, "grid:code");
        if (grid != null && grid.startsWith("MGRS-")) {
            return validTile(grid.substring(5));
        }
        for (String prefix : List.of("mgrs:", "sentinel:")) {
            JsonNode zone = props.get(prefix + "utm_zone");
            String band = StacJson.text(props, prefix + "latitude_band");
            String square = StacJson.text(props, prefix + "grid_square");
            if (zone != null && zone.canConvertToInt() && band != null && square != null) {
                return validTile(String.format(Locale.ROOT, "%02d%s%s", zone.intValue(), band, square));
            }
        }
        return validTile(StacJson.text(props, "s2:mgrs_tile"));
    }

    private static String validTile(String tile) {
        if (tile == null) {
            return null;
        }
        String t = tile.trim().toUpperCase(Locale.ROOT);
        if (t.length() == 4 && Character.isDigit(t.charAt(0))) {
            t = "0" + t;
        }
        return MGRS_TILE.matcher(t).matches() ? t : null;
    }

    /** The item's {@code *:boa_offset_applied}: true if any such flag is true, false if all are false, else null. */
    private static Boolean boaOffsetApplied(JsonNode props) {
        Boolean result = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith(":boa_offset_applied") && e.getValue().isBoolean()) {
                result = Boolean.TRUE.equals(result) || e.getValue().booleanValue();
            }
        }
        return result;
    }

    private static boolean isSentinel2(String platform, String constellation, String collection) {
        if (platform != null) {
            return SENTINEL_2.matcher(platform).matches();
        }
        if (constellation != null) {
            return SENTINEL_2.matcher(constellation).matches();
        }
        // Neither property: trust a collection name that says Sentinel-2, and otherwise assume it, since
        // GeoCrop only searches Sentinel-2 collections.
        return collection == null || S2_COLLECTION.matcher(collection).matches();
    }

    private static URI selfLink(JsonNode f) {
        JsonNode links = f.get("links");
        if (links == null || !links.isArray()) {
            return null;
        }
        for (JsonNode link : links) {
            if ("self".equals(StacJson.text(link, "rel")) && StacJson.text(link, "href") != null) {
                try {
                    URI u = new URI(StacJson.text(link, "href").trim());
                    return u.isAbsolute() ? u : null;
                } catch (URISyntaxException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String v = StacJson.text(node, field);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The numbers of an array of minLen..maxLen numbers; null if it is absent or not such an array. */
    private static List<Double> numbers(JsonNode array, int minLen, int maxLen) {
        if (array == null || !array.isArray() || array.size() < minLen || array.size() > maxLen) {
            return null;
        }
        List<Double> out = new ArrayList<>(array.size());
        for (JsonNode v : array) {
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                return null;
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    private static List<Integer> integers(JsonNode array, int minLen, int maxLen) {
        List<Double> v = numbers(array, minLen, maxLen);
        if (v == null || v.stream().anyMatch(d -> d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE)) {
            return null;
        }
        return v.stream().map(Double::intValue).toList();
    }

    static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
