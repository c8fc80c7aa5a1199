package dev.expanse.kernels;

/**
 * A flat array of float32 values owned by one {@link Backend}.
 *
 * <p>A buffer is created zero-filled by {@link Backend#allocate(long)} and is only ever read or
 * written through the backend that made it. Closing it releases device memory at once; closing
 * twice is harmless. Using a closed buffer is an error.
 */
public interface Buffer extends AutoCloseable {

    /** Number of float elements. */
    long size();

    /** The backend that owns this buffer. */
    Backend backend();

    @Override
    void close();
}
