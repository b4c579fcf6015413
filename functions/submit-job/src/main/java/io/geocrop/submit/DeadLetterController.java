package io.geocrop.submit;

import io.cloudevents.CloudEvent;
import io.geocrop.jobs.Job;
import io.geocrop.platform.CloudEventIngress;
import io.geocrop.platform.DeadLetterHandler;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Optional;

/**
 * The Broker's {@code deadLetterSink}: Knative POSTs here every event it gave up delivering (binary or
 * structured mode, with {@code knativeerror*} extensions), and the event's job is failed with the reason.
 * Internal: the cluster ingress must not route {@code /internal/**} from outside (see docs/events.md).
 */
@Hidden
@Controller("/internal/dead-letter")
public final class DeadLetterController {
    private final DeadLetterHandler handler;

    DeadLetterController(DeadLetterHandler handler) {
        this.handler = handler;
    }

    /** What the sink did with one dead letter. */
    @Serdeable
    public record DeadLetterReceipt(String event, @Nullable String job, @Nullable String state) {}

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    public DeadLetterReceipt receive(HttpHeaders headers, @Body @Nullable byte[] body) {
        CloudEvent event = CloudEventIngress.decode(headers, body);
        Optional<Job> job = handler.handle(event);
        return new DeadLetterReceipt(event.getId(), job.map(j -> j.id().toString()).orElse(null),
                job.map(j -> j.state().name().toLowerCase()).orElse(null));
    }
}
