package io.geocrop.extract;

import io.micronaut.runtime.Micronaut;

/** Runs extract-features alone, as its Knative Service does; configured by environment only. */
public final class ExtractFeaturesApplication {
    private ExtractFeaturesApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ExtractFeaturesApplication.class).banner(false).start();
    }
}
