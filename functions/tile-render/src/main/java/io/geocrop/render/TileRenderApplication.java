package io.geocrop.render;

import io.micronaut.runtime.Micronaut;

/** Runs tile-render alone, as its Knative Service does; configured by environment only. */
public final class TileRenderApplication {
    private TileRenderApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TileRenderApplication.class).banner(false).start();
    }
}
