package dev.updraft.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The whole kit on embedded H2 in file mode. */
class H2StoreContractTest extends JdbcContractTest {
  @TempDir static Path directory;

  @Override
  String url() {
    return JdbcStore.embeddedH2Url(directory);
  }
}
