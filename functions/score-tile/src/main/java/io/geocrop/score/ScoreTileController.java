package io.geocrop.score;

import io.cloudevents.CloudEvent;
import io.geocrop.events.InvalidEventException;
import io.geocrop.events.S3Notifications;
import io.geocrop.models.ModelCard;
import io.geocrop.platform.CloudEventIngress;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.registry.ModelCardJson;
import io.geocrop.scoring.ModelSource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import io.geocrop.registry.RegistryException;
import java.util.List;

/**
 * Where the Trigger {@code 330-trigger-feature-created.yaml} delivers: object-created events of
 * {@code geocrop-features} in binary or structured mode (a raw MinIO webhook body is accepted too and mapped like
 * submit-job's bridge does), each handed to the function bean {@link ScoreTileHandler}. 200 with the outcome ({@code scored}, {@code duplicate}, {@code ignored},
 * {@code failed-upload}, {@code failed-job}); 400 for an event score-tile does not take (not retried); any other
 * failure is a 5xx, which the Broker retries and finally dead-letters. {@code GET /model} shows the serving model's
 * card.
 */
@Controller("/")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ScoreTileController {
    private final ScoreTileHandler function;
    private final ModelSource models;

    ScoreTileController(ScoreTileHandler function, ModelSource models) {
        this.function = function;
        this.models = models;
    }

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    public HttpResponse<?> receive(HttpHeaders headers, @Body @Nullable byte[] body) {
        List<CloudEvent> events = decode(headers, body);
        List<ScoreTileHandler.Scored> outcomes = new ArrayList<>();
        for (CloudEvent event : events) {
            try {
                outcomes.add(function.apply(event));
            } catch (InvalidEventException e) {
                throw ProblemException.badField("body", e.getMessage());
            }
        }
        return outcomes.size() == 1 ? HttpResponse.ok(outcomes.get(0)) : HttpResponse.ok(outcomes);
    }

    /** The card of the model that scores (not loaded for this: the registry's card of the alias). */
    @Get(value = "/model", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> model() {
        ModelCard card;
        try {
            card = models.card().orElseThrow(() -> ProblemException.notFound(
                    "no model is registered for scoring (" + models + "); train one with ./geocrop train"));
        } catch (RegistryException | java.io.UncheckedIOException | io.geocrop.storage.StorageException e) {
            // The registry is down or refuses us: not a server bug, so a 503 naming the registry and what to check.
            throw ProblemException.of(503,
                    "the model registry (" + models + ") could not be read: " + e.getMessage() + "; " + io.geocrop.registry.RegistryHints.forFailure(e));
        }
        return HttpResponse.ok(ModelCardJson.write(card)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    // A CloudEvent (binary or structured); failing that, a MinIO/S3 notification body POSTed straight here.
    private static List<CloudEvent> decode(HttpHeaders headers, @Nullable byte[] body) {
        boolean cloudEvent = headers.contains("ce-specversion")
                || headers.contentType().map(t -> t.getName().startsWith("application/cloudevents")).orElse(false);
        if (!cloudEvent && body != null && looksLikeNotification(body)) {
            try {
                List<CloudEvent> events = S3Notifications.toCloudEvents(body);
                if (events.isEmpty()) {
                    throw ProblemException.badField("body", "the S3 notification has no records (s3:TestEvent)");
                }
                return events;
            } catch (InvalidEventException e) {
                throw ProblemException.badField("body", e.getMessage());
            }
        }
        return List.of(CloudEventIngress.decode(headers, body));
    }

    private static boolean looksLikeNotification(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        return head.contains("\"Records\"") || head.contains("\"EventName\"");
    }
}
