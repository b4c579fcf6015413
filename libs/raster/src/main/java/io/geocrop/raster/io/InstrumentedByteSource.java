package io.geocrop.raster.io;

import io.geocrop.raster.ByteSource;

/** A {@link ByteSource} that counts its requests, bytes and cache hits (see {@link RequestStats}). */
public interface InstrumentedByteSource extends ByteSource {

    /** The live counters of this source (not a copy: take {@link RequestStats#snapshot()} to compare). */
    RequestStats stats();
}
