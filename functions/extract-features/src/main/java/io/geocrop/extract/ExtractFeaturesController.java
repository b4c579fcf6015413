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

/**
 * Where Knative's Triggers deliver: job submissions (in the RedisStreamSource envelope) and tile requests, in
 * binary or structured mode, handed to the function bean {@link ExtractFeaturesHandler}. 200 when handled; 400 for
 * an event extract-features does not take (not retried); any other failure is a 5xx, which the Broker retries and
 * finally dead-letters.
 */
@Controller("/")
public final class ExtractFeaturesController {
    private final ExtractFeaturesHandler function;

    ExtractFeaturesController(ExtractFeaturesHandler function) {
        this.function = function;
    }

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<ExtractFeaturesHandler.Handled> receive(HttpHeaders headers, @Body @Nullable byte[] body) {
        CloudEvent event = CloudEventIngress.decode(headers, body);
        try {
            return HttpResponse.ok(function.apply(event));
        } catch (InvalidEventException e) {
            throw ProblemException.badField("body", e.getMessage());
        }
    }
}
