package dev.updraft.mender;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A stream that gives at most a limit of bytes: the read that goes past it throws the supplier's
 * exception (a 413 for an upload, a 400 naming the part for a decompression), so that no
 * decompression or upload can run on without bound.
 */
final class CappedInputStream extends FilterInputStream {
  private final long limit;
  private final Supplier<ApiException> beyond;
  private long count;

  CappedInputStream(InputStream in, long limit, Supplier<ApiException> beyond) {
    super(in);
    this.limit = limit;
    this.beyond = beyond;
  }

  /** The bytes read so far. */
  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0 && ++count > limit) {
      throw beyond.get();
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    int n = super.read(bytes, offset, length);
    if (n > 0) {
      count += n;
      if (count > limit) {
        throw beyond.get();
      }
    }
    return n;
  }

  /** Skips by reading, so that skipped bytes count too. */
  @Override
  public long skip(long n) throws IOException {
    return Math.max(0, read(new byte[(int) Math.max(1, Math.min(n, 8192))]));
  }
}
