package dev.updraft.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** A creation order sorts as its instant, then its sequence, do; and reads back as them. */
class CreationOrderTest {
  private record Order(Instant created, long sequence) {}

  private static final Comparator<Order> BY_TIME_THEN_SEQUENCE =
      Comparator.comparing(Order::created).thenComparingLong(Order::sequence);

  /** Seconds and sequences of every width, small ones (most digits padding) often. */
  private static Gen<Order> orders() {
    Gen<Long> seconds = longs().between(0, 31_556_889_864_403_199L).mix(longs().between(0, 99), 30);
    Gen<Long> sequences = longs().between(0, Long.MAX_VALUE).mix(longs().between(0, 99), 30);
    return seconds.zip(
        integers().between(0, 999_999_999),
        sequences,
        (second, nano, sequence) -> new Order(Instant.ofEpochSecond(second, nano), sequence));
  }

  private static String key(Order order) {
    return Index.creationOrder(order.created(), order.sequence());
  }

  @Test
  void sortsAsTimeThenSequenceAndReadsBack() {
    qt().forAll(orders(), orders())
        .checkAssert(
            (a, b) -> {
              assertThat(Integer.signum(key(a).compareTo(key(b))))
                  .isEqualTo(Integer.signum(BY_TIME_THEN_SEQUENCE.compare(a, b)));
              String key = key(a);
              assertThat(key).hasSize(49).matches("\\d{19}\\.\\d{9}\\.\\d{19}");
              assertThat(Long.parseLong(key.substring(0, 19)))
                  .isEqualTo(a.created().getEpochSecond());
              assertThat(Integer.parseInt(key.substring(20, 29))).isEqualTo(a.created().getNano());
              assertThat(Long.parseLong(key.substring(30))).isEqualTo(a.sequence());
            });
  }

  @Test
  void refusesWhatCannotBeOrdered() {
    assertThatThrownBy(() -> Index.creationOrder(Instant.ofEpochSecond(-1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> Index.creationOrder(Instant.EPOCH, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }
}
