package io.geocrop.submit;

import io.geocrop.models.ModelCard;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.registry.ModelCardJson;
import io.geocrop.registry.ModelRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /model} on submit-job's public surface: the registry's card of the model that scores new jobs
 * ({@code geocrop.models.name}@{@code geocrop.models.alias}, the same reference as each job's de-duplication key),
 * for the web app's "How it works". In a cluster score-tile is cluster-local, so its own {@code GET /model} is not
 * reachable from a browser; this route answers the same body from the same registry (MLflow with a read-only user,
 * or the {@code geocrop-models} bucket). Only the card is read, never the ONNX file. An answer is reused for
 * {@code geocrop.models.card-ttl} (30 s) so public traffic does not become registry traffic. Exists only where the
 * surface is exactly {@code public} and score-tile is not in the same process (the embedded runtime serves
 * score-tile's route, on every surface).
 */
@Controller("/model")
@Requires(property = "geocrop.http.surface", value = "public")
// One process hosting score-tile too (the embedded runtime, on any surface) has score-tile's GET /model already.
@Requires(missingClasses = "io.geocrop.score.ScoreTileController")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ModelCardController {
    private final ModelRegistry registry;
    private final Duration ttl;
    private final String name;
    private final String alias;
    private volatile Cached cached;

    private record Cached(Optional<ModelCard> card, long atNanos) {}

    ModelCardController(ServingModelRegistry serving) {
        this.registry = serving.registry();
        this.name = serving.name();
        this.alias = serving.alias();
        this.ttl = serving.ttl();
    }

    /** The card as score-tile's {@code GET /model} writes it; 404 problem when no model is registered. */
    @Get(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> model() {
        Cached c = cached;
        if (c == null || System.nanoTime() - c.atNanos() >= ttl.toNanos()) {
            try {
                c = new Cached(registry.card(name, alias), System.nanoTime());
            } catch (io.geocrop.registry.RegistryException | java.io.UncheckedIOException
                     | io.geocrop.storage.StorageException e) {
                // Down or refusing credentials: a 503 naming the registry and what to check, not a generic 500.
                throw ProblemException.of(503,
                        "the model registry (" + registry + ") could not be read for " + name + "@" + alias + ": "
                                + e.getMessage() + "; " + io.geocrop.registry.RegistryHints.forFailure(e));
            }
            cached = c;
        }
        ModelCard card = c.card().orElseThrow(() -> ProblemException.notFound(
                "no model is registered as " + name + "@" + alias + "; the model-bootstrap Job or ./geocrop train --publish registers one"));
        return HttpResponse.ok(ModelCardJson.write(card)).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "public, max-age=" + ttl.toSeconds());
    }
}
