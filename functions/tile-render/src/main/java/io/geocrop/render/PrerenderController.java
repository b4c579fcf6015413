package io.geocrop.render;

import io.cloudevents.CloudEvent;
import io.geocrop.events.InvalidEventException;
import io.geocrop.platform.CloudEventIngress;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The CloudEvent entry point (the Trigger {@code 340-trigger-job-completed.yaml} delivers to {@code /prerender}): a job-completed event, or an S3/MinIO object-created event for a job's
 * result COG ({@code results/<job>/crop-map.tif} in {@code geocrop-results}) warms the tile cache with its low
 * zooms (the function bean {@link PrerenderHandler}). Other events are acknowledged and ignored (200, so the broker does not retry them); a body that is not
 * a CloudEvent is a 400.
 */
@Hidden
@Controller("/prerender")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class PrerenderController {
    private final PrerenderHandler function;

    PrerenderController(PrerenderHandler function) {
        this.function = function;
    }

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    public PrerenderHandler.Prerender receive(HttpHeaders headers, @Body @Nullable byte[] body) {
        CloudEvent event = CloudEventIngress.decode(headers, body);
        try {
            return function.apply(event);
        } catch (InvalidEventException e) {
            throw ProblemException.badField("data", e.getMessage());
        }
    }
}
