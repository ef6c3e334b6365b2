package dev.updraft.mender;

import dev.updraft.core.device.AdmissionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The auth sets of devices and the identities that name them, in the server's own tables ({@link
 * ServerTables}). Every change is one transaction, and a change of status locks the device's auth
 * sets first, so that two admins accepting two keys of one device leave one accepted; a read of one
 * statement runs without one.
 */
final class AuthSets {
  /** A key a device has asked with: its status, and the token it holds, if any. */
  record AuthSet(
      String id,
      String deviceId,
      String identityData,
      String pubkey,
      AdmissionStatus status,
      Instant created) {}

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS = "id, device_id, identity_data, pubkey, status, created_ms";

  private final DataSource db;

  /** Over the server's tables, which {@link ServerTables#migrate} made. */
  AuthSets(DataSource db) {
    this.db = db;
  }

  /**
   * The device of an identity: the one recorded, or {@code proposed} when none was, recorded now.
   * Of two callers racing with two proposals, both get the one that was recorded first.
   */
  String deviceOf(String identityId, String proposed) {
    return run(
        c -> {
          Optional<String> known = deviceOf(c, identityId);
          if (known.isPresent()) {
            return known.get();
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO mender_identities (identity_id, device_id) VALUES (?, ?)")) {
            insert.setString(1, identityId);
            insert.setString(2, proposed);
            insert.executeUpdate();
            return proposed;
          } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
            c.rollback();
            return deviceOf(c, identityId).orElseThrow(() -> e);
          }
        });
  }

  private static Optional<String> deviceOf(Connection c, String identityId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT device_id FROM mender_identities WHERE identity_id = ?")) {
      select.setString(1, identityId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  Optional<AuthSet> find(String id) {
    return read(
        c -> {
          List<AuthSet> found = select(c, "WHERE id = ?", id);
          return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
  }

  /** A device's auth sets, oldest first. */
  List<AuthSet> ofDevice(String deviceId) {
    return read(c -> select(c, "WHERE device_id = ? ORDER BY created_ms, id", deviceId));
  }

  /** Adds an auth set; false (and nothing changed) when one with its id exists. */
  boolean insert(AuthSet set) {
    return run(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO mender_auth_sets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, set.id());
            insert.setString(2, set.deviceId());
            insert.setString(3, set.identityData());
            insert.setString(4, set.pubkey());
            insert.setString(5, set.status().wireName());
            insert.setLong(6, set.created().toEpochMilli());
            insert.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
            return false;
          }
        });
  }

  /**
   * Sets an auth set's status; accepting one rejects the device's other accepted one [M], and an
   * auth set that is not accepted holds no token. Returns the device's auth sets after; 404 when
   * the device has no auth set {@code id}.
   */
  List<AuthSet> setStatus(String deviceId, String id, AdmissionStatus status) {
    return run(
        c -> {
          List<AuthSet> sets =
              select(c, "WHERE device_id = ? ORDER BY created_ms, id FOR UPDATE", deviceId);
          if (sets.stream().noneMatch(s -> s.id().equals(id))) {
            throw ApiException.notFound("auth set " + id + " of device " + deviceId + " not found");
          }
          if (status == AdmissionStatus.ACCEPTED) {
            update(
                c,
                "UPDATE mender_auth_sets SET status = 'rejected', token_id = NULL"
                    + " WHERE device_id = ? AND status = 'accepted' AND id <> ?",
                deviceId,
                id);
          }
          update(
              c,
              status == AdmissionStatus.ACCEPTED
                  ? "UPDATE mender_auth_sets SET status = ? WHERE id = ?"
                  : "UPDATE mender_auth_sets SET status = ?, token_id = NULL WHERE id = ?",
              status.wireName(),
              id);
          return select(c, "WHERE device_id = ? ORDER BY created_ms, id", deviceId);
        });
  }

  /** Gives an accepted auth set the token {@code tokenId}, replacing the one it held. */
  void issueToken(String id, String tokenId) {
    run(
        c ->
            update(
                c,
                "UPDATE mender_auth_sets SET token_id = ? WHERE id = ? AND status = 'accepted'",
                tokenId,
                id));
  }

  /** The device whose accepted auth set holds the token {@code tokenId}, if one does. */
  Optional<String> holder(String tokenId) {
    return read(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT device_id FROM mender_auth_sets"
                      + " WHERE token_id = ? AND status = 'accepted'")) {
            select.setString(1, tokenId);
            try (ResultSet row = select.executeQuery()) {
              return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** Revokes a token; false when no auth set holds it. */
  boolean revoke(String tokenId) {
    return run(
            c ->
                update(
                    c, "UPDATE mender_auth_sets SET token_id = NULL WHERE token_id = ?", tokenId))
        > 0;
  }

  /** Deletes one auth set of a device; returns the device's others. 404 when it has no such set. */
  List<AuthSet> delete(String deviceId, String id) {
    return run(
        c -> {
          select(c, "WHERE device_id = ? ORDER BY created_ms, id FOR UPDATE", deviceId);
          if (update(c, "DELETE FROM mender_auth_sets WHERE device_id = ? AND id = ?", deviceId, id)
              == 0) {
            throw ApiException.notFound("auth set " + id + " of device " + deviceId + " not found");
          }
          return select(c, "WHERE device_id = ? ORDER BY created_ms, id", deviceId);
        });
  }

  /** Forgets a device: its auth sets and the identity that named it. */
  void forget(String deviceId) {
    run(
        c -> {
          update(c, "DELETE FROM mender_auth_sets WHERE device_id = ?", deviceId);
          return update(c, "DELETE FROM mender_identities WHERE device_id = ?", deviceId);
        });
  }

  // ------------------------------------------------------------------ JDBC

  private static List<AuthSet> select(Connection c, String where, String parameter)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM mender_auth_sets " + where)) {
      select.setString(1, parameter);
      List<AuthSet> sets = new ArrayList<>();
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          sets.add(
              new AuthSet(
                  row.getString(1),
                  row.getString(2),
                  row.getString(3),
                  row.getString(4),
                  AdmissionStatus.fromWireName("status", row.getString(5)),
                  Instant.ofEpochMilli(row.getLong(6))));
        }
      }
      return sets;
    }
  }

  private static int update(Connection c, String sql, String... parameters) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        update.setString(i + 1, parameters[i]);
      }
      return update.executeUpdate();
    }
  }

  private <T> T read(ServerTables.Work<T> work) {
    return ServerTables.read(db, "auth sets", work);
  }

  private <T> T run(ServerTables.Work<T> work) {
    return ServerTables.inTransaction(db, "auth sets", work);
  }
}
