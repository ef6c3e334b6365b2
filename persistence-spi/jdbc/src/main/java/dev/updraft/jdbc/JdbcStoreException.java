package dev.updraft.jdbc;

import dev.updraft.spi.StoreException;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC store's own failures, under the SPI's {@link StoreException}, each with the database's
 * exception as cause: a schema it cannot use, a value the database refuses, a record it cannot
 * decode. The engine does not retry these; a host decides. An unreachable database is the SPI's
 * {@link dev.updraft.spi.StoreUnavailableException}, a broken commit its {@link
 * dev.updraft.spi.CommitOutcomeUnknownException}.
 */
public class JdbcStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure described by {@code message}, caused by the database's {@code cause}.
   *
   * @param message what happened
   * @param cause the underlying failure, if any
   */
  public JdbcStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The database's schema was migrated by a newer Updraft than this one; nothing was changed. */
  public static final class SchemaTooNew extends JdbcStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * The schema is too new, as {@code message} says.
     *
     * @param message what happened
     */
    public SchemaTooNew(String message) {
      super(message, null);
    }
  }

  /**
   * The database refused a value: a constraint other than a duplicate key, or a data error such as
   * a key over 1,024 characters.
   */
  public static final class ConstraintViolation extends JdbcStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * The database refused a value, as {@code message} and its {@code cause} say.
     *
     * @param message what happened
     * @param cause the underlying failure, if any
     */
    public ConstraintViolation(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
