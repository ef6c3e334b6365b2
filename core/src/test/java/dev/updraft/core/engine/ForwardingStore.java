package dev.updraft.core.engine;

import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.EventPage;
import dev.updraft.spi.Index;
import dev.updraft.spi.Page;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
import dev.updraft.spi.UpdraftStore;
import dev.updraft.spi.memory.InMemoryStore;
import java.util.Optional;

/** An in-memory store a test wraps to watch or break one of its calls: it overrides that one. */
abstract class ForwardingStore implements UpdraftStore {
  final InMemoryStore store = new InMemoryStore();

  @Override
  public <R extends StoredRecord> Optional<R> get(RecordType<R> type, String key) {
    return store.get(type, key);
  }

  @Override
  public <R extends StoredRecord> Page<R> scan(
      Index<R> index, String partition, Optional<String> after, int limit) {
    return store.scan(index, partition, after, limit);
  }

  @Override
  public void commit(ChangeSet changes) {
    store.commit(changes);
  }

  @Override
  public EventPage events(long after, int limit) {
    return store.events(after, limit);
  }

  @Override
  public void trimEvents(long through) {
    store.trimEvents(through);
  }
}
