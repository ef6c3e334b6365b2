/**
 * The conformance kit for {@link dev.updraft.spi.UpdraftStore} adapters: extend {@link
 * dev.updraft.tck.StoreContractTest}, implement its one factory hook, and run it with JUnit 5.
 */
@NullMarked
package dev.updraft.tck;

import org.jspecify.annotations.NullMarked;
