package io.geocrop.registry;

import io.geocrop.models.ModelCard;
import io.geocrop.models.ModelCards;
import io.geocrop.models.ModelFormatException;

/**
 * {@code model-card.json} as the registries store it: the format of {@link ModelCards} (snake_case, ISO-8601
 * {@code created_at}), with the file's location added to errors and the card checked before it is published.
 */
public final class ModelCardJson {

    private ModelCardJson() {}

    /**
     * Checks that a card can be published: every field {@link ModelCards} requires is present.
     *
     * @throws IllegalArgumentException naming the missing field
     */
    public static ModelCard requirePublishable(ModelCard card) {
        String missing = card.featureOrderHash() == null ? "feature_order_hash"
                : card.trainingData() == null ? "training_data"
                : card.createdAt() == null ? "created_at" : null;
        if (missing != null) {
            throw new IllegalArgumentException("model " + card.name() + " cannot be published: its card has no "
                    + missing);
        }
        return card;
    }

    /** The card as UTF-8 JSON ({@link ModelCards#toJson}); it must carry a version. */
    public static byte[] write(ModelCard card) {
        if (card.version() == null) {
            throw new IllegalArgumentException("model " + card.name() + ": a stored card carries its version");
        }
        return ModelCards.toJson(requirePublishable(card));
    }

    /**
     * Reads a card ({@link ModelCards#fromJson}).
     *
     * @param where names the file in error messages (a bucket key or an MLflow artifact URI)
     * @throws RegistryException when the bytes are not a valid card
     */
    public static ModelCard read(byte[] json, String where) {
        try {
            return ModelCards.fromJson(json);
        } catch (ModelFormatException e) {
            throw new RegistryException(where + ": " + e.getMessage(), e);
        }
    }
}
