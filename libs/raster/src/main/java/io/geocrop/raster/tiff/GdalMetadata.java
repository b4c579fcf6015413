package io.geocrop.raster.tiff;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GDAL's private metadata tag (42112) and nodata tag (42113). The metadata is XML:
 * {@code <GDALMetadata><Item name="N">V</Item>...</GDALMetadata>}; items without {@code sample} are dataset
 * items of the default domain; {@code sample="i"} items with {@code role="description"}, {@code "scale"} or
 * {@code "offset"} describe band i; other band items and other domains are ignored. Unparseable XML is
 * ignored with a warning, as GDAL does.
 *
 * @param items        dataset-level items of the default domain, in file order
 * @param descriptions per band, "" where unset
 * @param scales       per band, 1.0 where unset
 * @param offsets      per band, 0.0 where unset
 */
public record GdalMetadata(Map<String, String> items, List<String> descriptions, List<Double> scales, List<Double> offsets) {
    private static final Logger LOG = LoggerFactory.getLogger(GdalMetadata.class);

    /** Parses {@code xml} (may be null) for an image of {@code bands} bands; {@code where} names the file in warnings. */
    public static GdalMetadata parse(String xml, int bands, String where) {
        Map<String, String> items = new LinkedHashMap<>();
        List<String> descriptions = new ArrayList<>(Collections.nCopies(bands, ""));
        List<Double> scales = new ArrayList<>(Collections.nCopies(bands, 1.0));
        List<Double> offsets = new ArrayList<>(Collections.nCopies(bands, 0.0));
        if (xml != null && !xml.isBlank()) {
            try {
                NodeList list = parseXml(xml).getElementsByTagName("Item");
                for (int i = 0; i < list.getLength(); i++) {
                    Element item = (Element) list.item(i);
                    // GDAL escapes names and values once more before building the XML (and unescapes them after
                    // parsing), so "&" is stored as "&amp;amp;": undo that second level too.
                    String name = unescapeXml(item.getAttribute("name"));
                    String value = unescapeXml(text(item));
                    String domain = item.getAttribute("domain");
                    if (!domain.isEmpty()) {
                        continue;
                    }
                    String sample = item.getAttribute("sample");
                    if (sample.isEmpty()) {
                        items.putIfAbsent(name, value);
                        continue;
                    }
                    int band;
                    try {
                        band = Integer.parseInt(sample.trim());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (band < 0 || band >= bands) {
                        continue;
                    }
                    switch (item.getAttribute("role")) {
                        case "description" -> descriptions.set(band, value);
                        case "scale" -> parseDouble(value).ifPresent(v -> scales.set(band, v));
                        case "offset" -> parseDouble(value).ifPresent(v -> offsets.set(band, v));
                        default -> { } // other band metadata (statistics etc.) is not part of RasterMetadata
                    }
                }
            } catch (Exception e) {
                LOG.warn("{}: ignoring unparseable GDAL_METADATA: {}", where, e.toString());
            }
        }
        return new GdalMetadata(items, descriptions, scales, offsets);
    }

    private static org.w3c.dom.Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // The XML comes from untrusted files: no DTDs, no external entities.
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new InputSource(new StringReader(xml)));
    }

    /** GDAL's CPLUnescapeString(CPLES_XML): the five named entities and numeric character references. */
    static String unescapeXml(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '&') {
                int semi = s.indexOf(';', i);
                if (semi > i && semi - i <= 12) {
                    String entity = s.substring(i + 1, semi);
                    String replacement = switch (entity) {
                        case "amp" -> "&";
                        case "lt" -> "<";
                        case "gt" -> ">";
                        case "quot" -> "\"";
                        case "apos" -> "'";
                        default -> numericReference(entity);
                    };
                    if (replacement != null) {
                        sb.append(replacement);
                        i = semi + 1;
                        continue;
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static String numericReference(String entity) {
        try {
            int code;
            if (entity.startsWith("#x") || entity.startsWith("#X")) {
                code = Integer.parseInt(entity.substring(2), 16);
            } else if (entity.startsWith("#")) {
                code = Integer.parseInt(entity.substring(1));
            } else {
                return null;
            }
            return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                sb.append(n.getNodeValue());
            }
        }
        return sb.toString();
    }

    private static java.util.Optional<Double> parseDouble(String s) {
        try {
            return java.util.Optional.of(Double.parseDouble(s.trim()));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Parses a GDAL_NODATA string the way GDAL does: "nan", "inf", "-inf" in any case, otherwise the longest
     * leading decimal number ("1e+38", "-3.4028234663852886e+38", " 0 "). Returns null if no number is found.
     */
    public static Double parseNodata(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("nan") || lower.equals("-nan") || lower.equals("+nan") || lower.startsWith("nan(")) {
            return Double.NaN;
        }
        if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") || lower.equals("+infinity")
                || lower.equals("1.#inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("-inf") || lower.equals("-infinity") || lower.equals("-1.#inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?").matcher(t);
        if (!m.find()) {
            return null;
        }
        return Double.parseDouble(m.group());
    }
}
