package io.geocrop.scoring;

import io.geocrop.models.ModelCard;
import io.geocrop.models.PixelClassifier;
import java.util.Optional;

/**
 * Where score-tile gets the model it scores with. The default ({@link ModelProvider}) resolves a registry alias once
 * per process; the embedded runtime may put a source in front of it that trains a demo model when none exists.
 * Implementations are thread-safe and cheap to call repeatedly.
 */
public interface ModelSource {

    /**
     * The classifier to score with, loaded on the first call and reused afterwards.
     *
     * @throws NoModelException when there is no model to load, with a message that says what to do
     */
    PixelClassifier classifier();

    /**
     * The card of the model that scores (or would score, if not loaded yet), without loading it if possible; empty
     * when there is no model.
     */
    Optional<ModelCard> card();
}
