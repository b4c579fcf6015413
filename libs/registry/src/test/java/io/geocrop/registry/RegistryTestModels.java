package io.geocrop.registry;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small models for registry tests. A registry stores bytes and never parses ONNX, so the "ONNX" here is seeded
 * random bytes that include every byte value (0x00, 0x0D 0x0A, 0xFF, ...): any text mangling on the way shows.
 */
public final class RegistryTestModels {

    private RegistryTestModels() {}

    /** A model named {@code name} whose card and bytes differ with {@code salt}; its card has no version. */
    public static ModelArtifact artifact(String name, int salt) {
        ModelCard card = new ModelCard(name, null, "sha256:feature-order-v1-test", List.of("b02_p10", "ndvi_max", "ndvi_amp"),
                List.of(1, 2, 3, 8), "embedded ground truth, seed " + salt,
                Map.of("overall_accuracy", 0.8125 + salt / 1024.0, "kappa", 0.7, "f1_maize", 1.0 / 3.0),
                Map.of("rounds", Integer.toString(60 + salt), "max_depth", "6", "eta", "0.3"),
                42L + salt, salt % 2 == 0, Instant.parse("2026-11-23T10:15:30.123456789Z").plusSeconds(salt));
        return new ModelArtifact(card, onnxBytes(salt));
    }

    /** Seeded bytes: 256 bytes holding every value, then random ones. */
    public static byte[] onnxBytes(int salt) {
        byte[] bytes = new byte[2048 + 37 * salt];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        byte[] rest = new byte[bytes.length - 256];
        new Random(salt).nextBytes(rest);
        System.arraycopy(rest, 0, bytes, 256, rest.length);
        return bytes;
    }
}
