-- Device authentication, as Mender's deviceauth keeps it: each identity names one device, and a
-- device has one auth set per key it has asked with, each with its own status. The table of
-- record for devices themselves is Updraft's; these tables hold what only authentication needs.

-- The device of each identity (a name-based UUID of its canonical JSON): one device per identity.
CREATE TABLE mender_identities (
  identity_id VARCHAR(36) PRIMARY KEY,
  device_id VARCHAR(256) NOT NULL
);
CREATE INDEX mender_identities_device ON mender_identities (device_id);

-- An auth set: an identity and a public key (PEM). Its id is a name-based UUID of both; the
-- first auth set's id is its device's id. token_id is the jti of the one token it holds, if any.
CREATE TABLE mender_auth_sets (
  id VARCHAR(36) PRIMARY KEY,
  device_id VARCHAR(256) NOT NULL,
  identity_data VARCHAR(65536) NOT NULL,
  pubkey VARCHAR(65536) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_ms BIGINT NOT NULL,
  token_id VARCHAR(36)
);
CREATE INDEX mender_auth_sets_device ON mender_auth_sets (device_id);
CREATE UNIQUE INDEX mender_auth_sets_token ON mender_auth_sets (token_id);
