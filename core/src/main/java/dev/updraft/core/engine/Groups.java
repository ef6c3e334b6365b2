package dev.updraft.core.engine;

import dev.updraft.core.ConflictException;
import dev.updraft.core.device.Device;
import dev.updraft.core.group.Filter;
import dev.updraft.core.group.SavedFilter;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.ClaimRecord;
import dev.updraft.spi.FilterRecord;
import dev.updraft.spi.Index;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoreConflictException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Static groups (as the devices name them) and saved filters; a filter name is unique. */
final class Groups {
  private final Context context;
  private final Storage storage;

  Groups(Context context) {
    this.context = context;
    this.storage = context.storage;
  }

  ResultPage<Device> members(String group, PageRequest page) {
    return storage.page(Index.DEVICES_BY_GROUP, group, Mapping::device, d -> true, page);
  }

  List<String> groups() {
    TreeSet<String> groups = new TreeSet<>();
    storage
        .scanAll(Index.DEVICES_BY_ID, Index.ALL_PARTITION)
        .forEach(r -> r.group().ifPresent(groups::add));
    return List.copyOf(groups);
  }

  SavedFilter saveFilter(String name, Filter filter) {
    SavedFilter saved = SavedFilter.of(context.newId(), name, filter);
    try {
      storage.commit(
          ChangeSet.create()
              .insert(RecordType.FILTER, Mapping.record(saved, 1))
              .insert(RecordType.CLAIM, new ClaimRecord(filterClaim(name), 1, saved.id())));
    } catch (StoreConflictException taken) {
      throw new ConflictException("filter", name, "a filter with this name exists");
    }
    return saved;
  }

  Optional<SavedFilter> filter(String id) {
    return storage.get(RecordType.FILTER, id).map(Mapping::filter);
  }

  void deleteFilter(String id) {
    storage.retrying(
        "delete filter",
        () -> {
          FilterRecord filter = context.require(RecordType.FILTER, "filter", id);
          ChangeSet changes = ChangeSet.create().delete(RecordType.FILTER, filter);
          storage
              .get(RecordType.CLAIM, filterClaim(filter.name()))
              .ifPresent(claim -> changes.delete(RecordType.CLAIM, claim));
          storage.commit(changes);
          return null;
        });
  }

  ResultPage<SavedFilter> filters(PageRequest page) {
    return storage.page(
        Index.FILTERS_BY_NAME, Index.ALL_PARTITION, Mapping::filter, f -> true, page);
  }

  private static String filterClaim(String name) {
    return "filter-name:" + name;
  }
}
