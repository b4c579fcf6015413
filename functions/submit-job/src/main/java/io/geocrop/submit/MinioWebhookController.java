package io.geocrop.submit;

import io.cloudevents.CloudEvent;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.S3Notifications;
import io.geocrop.platform.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * MinIO's webhook target: each bucket-notification POST becomes one CloudEvent per record (CloudEvents S3
 * adapter mapping), published to the broker. MinIO authenticates with {@code Authorization: Bearer <token>}.
 */
@Controller("/webhooks/minio")
@Tag(name = "webhooks")
public final class MinioWebhookController {
    private final EventPublisher publisher;
    private final byte[] token;

    MinioWebhookController(EventPublisher publisher, WebhookSettings settings,
                           @io.micronaut.context.annotation.Value("${geocrop.internal.token:}") @Nullable String internalToken) {
        this.publisher = publisher;
        String configured = settings.token() == null || settings.token().isBlank() ? internalToken : settings.token();
        this.token = configured == null || configured.isBlank() ? null : configured.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** What the webhook did with a notification. */
    @Serdeable
    public record Published(int published, List<String> ids) {}

    @Operation(summary = "MinIO bucket notification target")
    @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN}, produces = MediaType.APPLICATION_JSON)
    public Published notify(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        if (token == null) {
            throw ProblemException.of(503,
                    "the MinIO webhook is disabled: set GEOCROP_INTERNAL_TOKEN (or GEOCROP_WEBHOOK_TOKEN)");
        }
        if (!authorized(authorization)) {
            throw ProblemException.of(401,
                    "Authorization: Bearer <token> with the configured webhook token is required");
        }
        if (body == null || body.length == 0) {
            throw ProblemException.badField("body", "is required: a MinIO or S3 event notification");
        }
        List<CloudEvent> events;
        try {
            events = S3Notifications.toCloudEvents(body);
        } catch (io.geocrop.events.InvalidEventException e) {
            throw ProblemException.badField("body", e.getMessage());
        }
        events.forEach(publisher::publish);
        return new Published(events.size(), events.stream().map(CloudEvent::getId).toList());
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }
}
