package io.geocrop.render;

import io.geocrop.tiles.LayerStyle;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A layer's legend: value, name and colour of each class, or the stops of the confidence ramp. */
@Controller("/legend")
@Tag(name = "tiles")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class LegendController {
    private final TileService tiles;

    LegendController(TileService tiles) {
        this.tiles = tiles;
    }

    @Operation(summary = "Legend of a layer")
    @Get(value = "/{layer}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Legend> legend(@PathVariable String layer) {
        LayerRef ref = tiles.legendLayer(layer);
        LayerStyle style = ref.style();
        String title = switch (ref) {
            case LayerRef.BaselineLayer dw -> "Dynamic World land cover " + dw.year();
            case LayerRef.JobLayer job -> style == LayerStyle.CONFIDENCE ? "Confidence (%)" : "Crop type";
            case LayerRef.UploadLayer upload -> style == LayerStyle.CONFIDENCE ? "Confidence (%)" : "Crop type";
        };
        Legend legend = new Legend(layer, title, style.kind() == LayerStyle.Kind.RAMP ? "ramp" : "categorical",
                style.legend().stream().map(e -> new Legend.Entry(e.value(), e.name(), e.colour())).toList());
        return HttpResponse.ok(legend).header(HttpHeaders.CACHE_CONTROL, "public, max-age=300");
    }
}
