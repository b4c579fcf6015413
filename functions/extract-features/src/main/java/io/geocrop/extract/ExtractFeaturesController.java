package io.geocrop.extract;

import io.cloudevents.CloudEvent;
import io.geocrop.events.InvalidEventException;
import io.geocrop.platform.CloudEventIngress;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Where Knative's Triggers deliver: job submissions (in the RedisStreamSource envelope) and tile requests, in
 * binary or structured mode. 200 when handled; 400 for an event extract-features does not take (not retried);
 * any other failure is a 5xx, which the Broker retries and finally dead-letters.
 */
@Controller("/")
public final class ExtractFeaturesController {
    private final ExtractFeaturesHandler handler;

    ExtractFeaturesController(ExtractFeaturesHandler handler) {
        this.handler = handler;
    }

    /** What was done with one event. */
    @Serdeable
    public record Outcome(String event, String outcome) {}

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<Outcome> receive(HttpHeaders headers, @Body @Nullable byte[] body) throws Exception {
        CloudEvent event = CloudEventIngress.decode(headers, body);
        try {
            ExtractFeaturesHandler.Outcome outcome = handler.process(event);
            return HttpResponse.ok(new Outcome(event.getId(), outcome.name().toLowerCase()));
        } catch (InvalidEventException e) {
            throw ProblemException.badField("body", e.getMessage());
        }
    }
}
