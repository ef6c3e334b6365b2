package dev.updraft.mender;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** What operators wrote about artifacts, by artifact id, in the server's tables. */
final class ArtifactDescriptions {
  /** The longest description kept [U]. */
  static final int MAX_LENGTH = 4096;

  private final DataSource db;

  /** Over the server's tables, which {@link ServerTables#migrate} made. */
  ArtifactDescriptions(DataSource db) {
    this.db = db;
  }

  /** Every description, by artifact id: a listing's worth, read once. */
  Map<String, String> all() {
    return ServerTables.read(
        db,
        "artifact descriptions",
        c -> {
          Map<String, String> all = new HashMap<>();
          try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT artifact_id, description FROM mender_artifact_descriptions");
              ResultSet row = select.executeQuery()) {
            while (row.next()) {
              all.put(row.getString(1), row.getString(2));
            }
          }
          return all;
        });
  }

  /** Sets an artifact's description; an empty one removes it. 400 beyond {@value #MAX_LENGTH}. */
  void set(String artifactId, String description) {
    if (description.length() > MAX_LENGTH) {
      throw ApiException.badRequest(
          "description: " + description.length() + " characters, more than " + MAX_LENGTH);
    }
    ServerTables.inTransaction(
        db,
        "artifact descriptions",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM mender_artifact_descriptions WHERE artifact_id = ?")) {
            delete.setString(1, artifactId);
            delete.executeUpdate();
          }
          if (!description.isEmpty()) {
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO mender_artifact_descriptions (artifact_id, description)"
                        + " VALUES (?, ?)")) {
              insert.setString(1, artifactId);
              insert.setString(2, description);
              insert.executeUpdate();
            }
          }
          return null;
        });
  }
}
