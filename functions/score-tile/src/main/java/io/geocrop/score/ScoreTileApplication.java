package io.geocrop.score;

import io.micronaut.runtime.Micronaut;

/** Runs score-tile alone, as its Knative Service does; configured by environment only. */
public final class ScoreTileApplication {
    private ScoreTileApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ScoreTileApplication.class).banner(false).start();
    }
}
