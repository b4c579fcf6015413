package io.geocrop.render;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A layer's legend.
 *
 * @param type    {@code categorical} (one entry per class) or {@code ramp} (stops of a continuous ramp)
 * @param entries value, name and {@code #rrggbb} colour, in value order
 */
@Serdeable
public record Legend(String layer, String title, String type, List<Entry> entries) {
    /** One legend line. */
    @Serdeable
    public record Entry(int value, String name, String color) {}
}
