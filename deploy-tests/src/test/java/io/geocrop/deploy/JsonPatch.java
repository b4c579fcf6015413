package io.geocrop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 6902 {@code add}, {@code replace} and {@code remove} on Jackson trees (what kustomize patches use). */
final class JsonPatch {
    private JsonPatch() {}

    static void apply(ObjectNode doc, JsonNode op, String where) {
        String kind = op.path("op").asText();
        String path = op.path("path").asText();
        int cut = path.lastIndexOf('/');
        if (cut < 0) {
            throw new IllegalStateException(where + ": bad JSON patch path '" + path + "'");
        }
        JsonNode parent = doc.at(path.substring(0, cut));
        String last = path.substring(cut + 1).replace("~1", "/").replace("~0", "~");
        if (parent.isMissingNode()) {
            throw new IllegalStateException(where + ": JSON patch path " + path + " has no parent in the target");
        }
        switch (kind) {
            case "add" -> {
                if (parent instanceof ArrayNode array) {
                    if (last.equals("-")) {
                        array.add(op.path("value").deepCopy());
                    } else {
                        array.insert(Integer.parseInt(last), op.path("value").deepCopy());
                    }
                } else {
                    ((ObjectNode) parent).set(last, op.path("value").deepCopy());
                }
            }
            case "replace" -> {
                if (parent instanceof ArrayNode array) {
                    array.set(Integer.parseInt(last), op.path("value").deepCopy());
                } else {
                    if (!parent.has(last)) {
                        throw new IllegalStateException(where + ": replace of missing " + path);
                    }
                    ((ObjectNode) parent).set(last, op.path("value").deepCopy());
                }
            }
            case "remove" -> {
                if (parent instanceof ArrayNode array) {
                    array.remove(Integer.parseInt(last));
                } else if (((ObjectNode) parent).remove(last) == null) {
                    throw new IllegalStateException(where + ": remove of missing " + path);
                }
            }
            default -> throw new IllegalStateException(where + ": JSON patch op '" + kind + "' is not supported");
        }
    }
}
