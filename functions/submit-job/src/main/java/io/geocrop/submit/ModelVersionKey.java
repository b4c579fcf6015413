package io.geocrop.submit;

/**
 * What identical requests are de-duplicated on as far as the model goes: the model reference with the version the
 * alias points at right now (e.g. {@code geocrop-crop-type@champion=3}), so that after a promotion an identical
 * request makes a new map instead of returning the old version's. Without a registry in the process (submit-job on its
 * own), {@link #ALIAS} keys on {@code name@alias} as before.
 */
@FunctionalInterface
public interface ModelVersionKey {
    /** Keys on the reference as configured. */
    ModelVersionKey ALIAS = modelRef -> modelRef;

    /** The key part for {@code modelRef} ({@code name@alias}). Must not throw: fall back to {@code modelRef}. */
    String of(String modelRef);
}
