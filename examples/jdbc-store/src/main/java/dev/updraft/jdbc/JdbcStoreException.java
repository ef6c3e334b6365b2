package dev.updraft.jdbc;

/**
 * The JDBC store could not do its work: the root of its own errors, each with the database's
 * exception as cause. The engine does not retry these (only {@link
 * dev.updraft.spi.StoreConflictException}); a host decides.
 */
public class JdbcStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JdbcStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The database cannot be reached (connection refused, down, pool exhausted). */
  public static final class DatabaseUnavailable extends JdbcStoreException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The database's schema was migrated by a newer Updraft than this one; nothing was changed. */
  public static final class SchemaTooNew extends JdbcStoreException {
    private static final long serialVersionUID = 1L;

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

    public ConstraintViolation(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
