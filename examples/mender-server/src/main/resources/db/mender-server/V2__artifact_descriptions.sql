-- What an operator wrote about an artifact (the upload form's description, or an edit), by
-- artifact id. Updraft keeps the artifact itself; this is Mender's metadata beside it.
CREATE TABLE mender_artifact_descriptions (
  artifact_id VARCHAR(256) PRIMARY KEY,
  description VARCHAR(4096) NOT NULL
);
