package io.geocrop.imagery.stac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@link StacItem} as JSON of its own and back, exactly: what a job's imagery manifest keeps so that every
 * tile reads the items the planner found without asking the catalogue again. Not STAC: the values are the parsed
 * ones (hrefs already resolved, scale and offset already derived by the rule on {@link StacAsset}), so reading
 * back never re-applies a rule that might have changed in between. {@code read(write(item)).equals(item)}.
 */
public final class StacItemJson {
    /** The format's version, written as {@code "v"}; a document of another version is refused. */
    public static final int VERSION = 1;

    private StacItemJson() {
    }

    /** The item as one compact JSON document. */
    public static String write(StacItem item) {
        ObjectNode n = StacJson.MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("id", item.id());
        n.put("collection", item.collection());
        n.put("datetime", item.datetime().toString());
        if (item.bbox() != null) {
            LonLatBox b = item.bbox();
            n.putArray("bbox").add(b.minLon()).add(b.minLat()).add(b.maxLon()).add(b.maxLat());
        }
        if (item.geometry() != null) {
            ObjectNode g = n.putObject("geometry");
            g.put("type", item.geometry().type());
            ArrayNode polygons = g.putArray("polygons");
            for (double[][][] polygon : item.geometry().polygons()) {
                ArrayNode rings = polygons.addArray();
                for (double[][] ring : polygon) {
                    ArrayNode points = rings.addArray();
                    for (double[] p : ring) {
                        ArrayNode point = points.addArray();
                        for (double c : p) {
                            point.add(c);
                        }
                    }
                }
            }
        }
        putNumber(n, "epsg", item.epsg());
        putNumber(n, "cloudCover", item.cloudCover());
        n.put("mgrsTile", item.mgrsTile());
        n.put("platform", item.platform());
        n.put("processingBaseline", item.processingBaseline());
        if (item.boaOffsetApplied() != null) {
            n.put("boaOffsetApplied", item.boaOffsetApplied());
        }
        ObjectNode assets = n.putObject("assets");
        item.assets().forEach((key, asset) -> assets.set(key, asset(asset)));
        ObjectNode bands = n.putObject("bands");
        // A band names its asset by key when it is that very asset (the parser's case), else carries its own copy.
        item.bands().forEach((band, asset) -> {
            if (asset.equals(item.assets().get(asset.key()))) {
                bands.put(band.name(), asset.key());
            } else {
                bands.set(band.name(), asset(asset));
            }
        });
        try {
            return StacJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("STAC item " + item.id() + " could not be written as JSON", e);
        }
    }

    /**
     * The item a {@link #write} document holds.
     *
     * @throws StacException naming what is wrong when the document is not one this class wrote
     */
    public static StacItem read(String json) {
        JsonNode n;
        try {
            n = StacJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StacException("a recorded STAC item is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject() || n.path("v").asInt(-1) != VERSION) {
            throw new StacException("a recorded STAC item is not a version " + VERSION + " document");
        }
        String id = StacJson.text(n, "id");
        try {
            LonLatBox bbox = null;
            if (n.has("bbox")) {
                JsonNode b = n.get("bbox");
                bbox = new LonLatBox(b.get(0).doubleValue(), b.get(1).doubleValue(), b.get(2).doubleValue(),
                        b.get(3).doubleValue());
            }
            StacGeometry geometry = null;
            if (n.has("geometry")) {
                List<double[][][]> polygons = new ArrayList<>();
                for (JsonNode polygon : n.get("geometry").get("polygons")) {
                    double[][][] rings = new double[polygon.size()][][];
                    for (int r = 0; r < rings.length; r++) {
                        JsonNode ring = polygon.get(r);
                        rings[r] = new double[ring.size()][];
                        for (int p = 0; p < ring.size(); p++) {
                            JsonNode point = ring.get(p);
                            rings[r][p] = new double[point.size()];
                            for (int c = 0; c < point.size(); c++) {
                                rings[r][p][c] = point.get(c).doubleValue();
                            }
                        }
                    }
                    polygons.add(rings);
                }
                geometry = new StacGeometry(StacJson.text(n.get("geometry"), "type"), polygons);
            }
            Map<String, StacAsset> assets = new LinkedHashMap<>();
            n.get("assets").properties().forEach(e -> assets.put(e.getKey(), asset(e.getKey(), e.getValue())));
            Map<S2Band, StacAsset> bands = new EnumMap<>(S2Band.class);
            n.get("bands").properties().forEach(e -> {
                JsonNode v = e.getValue();
                StacAsset asset = v.isTextual() ? assets.get(v.textValue()) : asset(StacJson.text(v, "key"), v);
                if (asset == null) {
                    throw new IllegalArgumentException("band " + e.getKey() + " names a missing asset " + v);
                }
                bands.put(S2Band.valueOf(e.getKey()), asset);
            });
            JsonNode epsg = n.get("epsg");
            JsonNode boa = n.get("boaOffsetApplied");
            return new StacItem(id, StacJson.text(n, "collection"), Instant.parse(StacJson.text(n, "datetime")),
                    bbox, geometry, epsg == null ? null : epsg.intValue(), StacJson.number(n, "cloudCover"),
                    StacJson.text(n, "mgrsTile"), StacJson.text(n, "platform"),
                    StacJson.text(n, "processingBaseline"), boa == null ? null : boa.booleanValue(), bands, assets);
        } catch (RuntimeException e) {
            throw new StacException("recorded STAC item " + id + " cannot be read back: " + e, e);
        }
    }

    private static ObjectNode asset(StacAsset a) {
        ObjectNode n = StacJson.MAPPER.createObjectNode();
        n.put("key", a.key());
        n.put("href", a.href().toString());
        n.put("originalHref", a.originalHref());
        n.put("mediaType", a.mediaType());
        ArrayNode roles = n.putArray("roles");
        a.roles().forEach(roles::add);
        putNumber(n, "gsd", a.gsd());
        if (a.projShape() != null) {
            ArrayNode shape = n.putArray("projShape");
            a.projShape().forEach(shape::add);
        }
        if (a.projTransform() != null) {
            ArrayNode transform = n.putArray("projTransform");
            a.projTransform().forEach(transform::add);
        }
        putNumber(n, "nodata", a.nodata());
        n.put("dataType", a.dataType());
        n.put("scale", a.scale());
        n.put("offset", a.offset());
        return n;
    }

    private static StacAsset asset(String key, JsonNode n) {
        List<String> roles = new ArrayList<>();
        n.path("roles").forEach(r -> roles.add(r.textValue()));
        List<Integer> shape = null;
        if (n.has("projShape")) {
            shape = new ArrayList<>();
            for (JsonNode v : n.get("projShape")) {
                shape.add(v.intValue());
            }
        }
        List<Double> transform = null;
        if (n.has("projTransform")) {
            transform = new ArrayList<>();
            for (JsonNode v : n.get("projTransform")) {
                transform.add(v.doubleValue());
            }
        }
        return new StacAsset(key, URI.create(StacJson.text(n, "href")), StacJson.text(n, "originalHref"),
                StacJson.text(n, "mediaType"), roles, number(n, "gsd"), shape, transform, number(n, "nodata"),
                StacJson.text(n, "dataType"), n.get("scale").doubleValue(), n.get("offset").doubleValue());
    }

    /** JSON has no NaN or infinity: those are written as text ({@code "NaN"}), numbers as numbers. */
    private static void putNumber(ObjectNode n, String field, Number v) {
        if (v == null) {
            return;
        }
        double d = v.doubleValue();
        if (v instanceof Integer i) {
            n.put(field, i);
        } else if (Double.isFinite(d)) {
            n.put(field, d);
        } else {
            n.put(field, Double.toString(d));
        }
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? Double.valueOf(v.textValue()) : v.doubleValue();
    }
}
