package io.geocrop.imagery.stac;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;

/** The JSON mapper of this package and small helpers for reading loosely typed STAC JSON. */
final class StacJson {
    /**
     * Unknown fields are the norm in STAC (every extension adds some), so nothing here maps to fixed classes;
     * the nesting limit keeps a hostile document from exhausting the stack.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1_000_000)
                .build());
    }

    private StacJson() {
    }

    /** A decimal without exponent or trailing zeros: 31.05, -17.8, 0.0001. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The text of a string node, or null for a missing, null or non-string node. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** The value of a number node, or null for a missing, null or non-number node. */
    static Double number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.doubleValue() : null;
    }

    /** A short, printable excerpt of server text for an error message: control characters removed, capped. */
    static String excerpt(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(Math.min(text.length(), max + 3));
        for (int i = 0; i < text.length() && s.length() < max; i++) {
            char c = text.charAt(i);
            s.append(Character.isISOControl(c) ? ' ' : c);
        }
        String trimmed = s.toString().strip().replaceAll(" {2,}", " ");
        return text.length() > max ? trimmed + "..." : trimmed;
    }
}
