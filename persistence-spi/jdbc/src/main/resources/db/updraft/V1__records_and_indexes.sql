-- Every SPI record is a row of updraft_record: its type, key, version and JSON body.
-- Every index entry (UpdraftStore's declared indexes) is a row of updraft_index_entry, kept in the
-- same transaction as its record; its primary key is what every scan reads as a range.
-- ${collate} is COLLATE "C" on PostgreSQL (code point order, as the SPI's keys expect) and empty
-- on H2, whose default order is already Java's.

CREATE TABLE updraft_record (
  record_type VARCHAR(32) NOT NULL,
  record_key VARCHAR(1024) ${collate} NOT NULL,
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (record_type, record_key)
);

CREATE TABLE updraft_index_entry (
  index_name VARCHAR(64) NOT NULL,
  partition_key VARCHAR(1024) ${collate} NOT NULL,
  sort_key VARCHAR(1024) ${collate} NOT NULL,
  record_key VARCHAR(1024) ${collate} NOT NULL,
  PRIMARY KEY (index_name, partition_key, sort_key, record_key)
);

-- Finds a record's entries when the record changes or goes.
CREATE INDEX updraft_index_entry_by_record ON updraft_index_entry (index_name, record_key);
