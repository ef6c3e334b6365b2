package dev.updraft.tck;

import dev.updraft.spi.UpdraftStore;
import dev.updraft.spi.memory.InMemoryStore;

/** The reference in-memory store runs the whole kit. */
class InMemoryStoreContractTest extends StoreContractTest {
  @Override
  protected UpdraftStore newStore() {
    return new InMemoryStore();
  }
}
