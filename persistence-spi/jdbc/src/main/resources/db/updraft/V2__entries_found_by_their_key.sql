-- A record's index entries are found by their own key (computed from the record's stored body)
-- when the record changes or goes, so the index by record key is no longer read; it only cost a
-- third B-tree write per entry written.
DROP INDEX updraft_index_entry_by_record;
