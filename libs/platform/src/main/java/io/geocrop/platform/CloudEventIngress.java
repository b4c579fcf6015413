package io.geocrop.platform;

import io.cloudevents.CloudEvent;
import io.geocrop.events.CloudEventHttp;
import io.geocrop.events.InvalidEventException;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;

/** Decoding of CloudEvents POSTed to a function (binary or structured mode), shared by every event endpoint. */
public final class CloudEventIngress {
    /** The media types a Knative delivery may carry. */
    public static final String[] CONSUMES = {"application/json", "application/cloudevents+json",
        "application/octet-stream", "text/plain"};

    private CloudEventIngress() {}

    /**
     * The event in the request.
     *
     * @throws ProblemException a 400 naming {@code body} when the request is not a valid CloudEvent
     */
    public static CloudEvent decode(HttpHeaders headers, @Nullable byte[] body) {
        try {
            return CloudEventHttp.decode(headers.asMap(), body == null ? new byte[0] : body);
        } catch (InvalidEventException e) {
            throw ProblemException.badField("body", e.getMessage());
        }
    }
}
