package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.RecordType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A deployment as one operation read it: its record (definition, marks, base counters) and its
 * stripes of counters (see {@link DeploymentCountsRecord}), and the deployment they sum to.
 *
 * <h2>Writing a change: which records, which checks</h2>
 *
 * A decision returns the deployment it wants; {@link #write} turns the difference into writes:
 *
 * <ul>
 *   <li>The change of counters goes into stripes, as a rule one: devices of one deployment commit
 *       in parallel as long as they pick different stripes (each picks one at random).
 *   <li>A maximum of devices and each phase's capacity stay exact by quotas: each stripe may hand
 *       out its share ({@link #quota}) of what the base left, and no more. A device that joins a
 *       phase takes the phase's room in a stripe that has some; its hand-out may come from another
 *       stripe (a change is a sum: its parts may sit anywhere).
 *   <li>A change that leaves the marks (paused, stopped, finished, guard trip) as they were checks
 *       the record's version: a pause, a finish or an abort committed meanwhile makes it conflict.
 *   <li>A change of the marks updates the record and checks every stripe it did not write (an
 *       absent one is inserted, empty): it was decided on their sum, so a device counted meanwhile
 *       makes it conflict. A deployment therefore finishes, pauses, or trips its guard once.
 * </ul>
 *
 * What the sum of several stripes decides, finishing and the guard, may be crossed by two commits
 * in different stripes that each saw only its own part: after such a commit the engine reviews the
 * deployment afresh ({@link #needsReview}); of two such commits, the later one's review sees both.
 */
final class StoredDeployment {
  final DeploymentRecord record;
  private final Mapping.Definition definition;
  private final Supplier<List<DeploymentCountsRecord>> read;

  /** By stripe number, null where no commit wrote the stripe yet; read when first needed. */
  private @Nullable DeploymentCountsRecord @Nullable [] stripes;

  private @Nullable Deployment deployment;

  /**
   * A deployment whose stripes {@code read} reads, when first needed: a finished deployment's
   * record is all most reads need (a poll skips it), and an open one's stripes are read once.
   */
  StoredDeployment(
      DeploymentRecord record,
      Mapping.Definition definition,
      Supplier<List<DeploymentCountsRecord>> read) {
    this.record = record;
    this.definition = definition;
    this.read = read;
  }

  private @Nullable DeploymentCountsRecord[] stripes() {
    if (stripes == null) {
      @Nullable DeploymentCountsRecord[] byNumber =
          new DeploymentCountsRecord[record.stripeCount()];
      for (DeploymentCountsRecord stripe : read.get()) {
        if (stripe.stripe() < 0 || stripe.stripe() >= byNumber.length) {
          throw new IllegalStateException(
              "deployment "
                  + record.id()
                  + " has a stripe "
                  + stripe.stripe()
                  + " of "
                  + byNumber.length);
        }
        byNumber[stripe.stripe()] = stripe;
      }
      stripes = byNumber;
    }
    return stripes;
  }

  /** {@return the deployment if {@link #deployment()} decoded it already; nothing is read} */
  Optional<Deployment> decoded() {
    return Optional.ofNullable(deployment);
  }

  /** {@return the deployment: its record with its counters summed} */
  Deployment deployment() {
    if (deployment == null) {
      deployment = Mapping.deployment(record, definition, total());
    }
    return deployment;
  }

  private int phases() {
    return Math.max(1, definition.options().phases().size());
  }

  private Counters total() {
    Counters total = Counters.base(record, phases());
    for (DeploymentCountsRecord stripe : stripes()) {
      if (stripe != null) {
        total = total.plus(Counters.of(stripe, phases()));
      }
    }
    return total;
  }

  private Counters stripe(int number) {
    DeploymentCountsRecord stripe = stripes()[number];
    return stripe == null ? Counters.zero(phases()) : Counters.of(stripe, phases());
  }

  /**
   * Adds to {@code changes} the writes that take the deployment from {@link #deployment()} to
   * {@code after} (see the class comment).
   *
   * @param after the deployment a decision wants
   * @param changes the commit's changes
   * @return the record written, when the marks changed
   */
  Optional<DeploymentRecord> write(Deployment after, ChangeSet changes) {
    Deployment before = deployment();
    @Nullable DeploymentCountsRecord[] stripes = stripes();
    Counters change = Counters.of(after).minus(Counters.of(before));
    Map<Integer, Counters> parts = new LinkedHashMap<>();
    if (!change.isZero()) {
      int start = ThreadLocalRandom.current().nextInt(stripes.length);
      Counters rest = change.withoutAdmissions();
      if (change.handedOut > 0 && definition.options().maxDevices().isPresent()) {
        long left = definition.options().maxDevices().get() - record.handedOut();
        int stripe =
            pick(start, n -> stripe(n).handedOut + change.handedOut <= quota(left, n), "devices");
        add(parts, stripe, change.onlyHandedOut());
      } else {
        rest = rest.plus(change.onlyHandedOut());
      }
      List<Long> capacities = after.capacities();
      for (int phase = 0; phase < change.phases(); phase++) {
        long joined = change.phaseCount(phase);
        if (joined == 0) {
          continue;
        }
        boolean growing = phase == change.phases() - 1 && !after.target().kind().isSnapshot();
        if (growing || joined < 0) {
          rest = rest.plus(change.onlyPhaseCount(phase));
          continue;
        }
        int index = phase;
        long left = capacities.get(phase) - Counters.base(record, phases()).phaseCount(phase);
        int stripe =
            pick(
                start,
                n -> stripe(n).phaseCount(index) + joined <= quota(left, n),
                "phase " + phase);
        add(parts, stripe, change.onlyPhaseCount(phase));
      }
      if (!rest.isZero()) {
        add(parts, parts.isEmpty() ? start : parts.keySet().iterator().next(), rest);
      }
    }
    parts.forEach(
        (number, part) -> {
          DeploymentCountsRecord stored = stripes[number];
          if (stored == null) {
            changes.insert(RecordType.DEPLOYMENT_COUNTS, part.record(record.id(), number, 1));
          } else {
            changes.update(
                RecordType.DEPLOYMENT_COUNTS,
                stored,
                stripe(number).plus(part).record(record.id(), number, stored.version() + 1));
          }
        });
    if (!marksChanged(before, after)) {
      changes.check(RecordType.DEPLOYMENT, record);
      return Optional.empty();
    }
    DeploymentRecord next = Mapping.record(after, record);
    changes.update(RecordType.DEPLOYMENT, record, next);
    for (int number = 0; number < stripes.length; number++) {
      if (parts.containsKey(number)) {
        continue;
      }
      DeploymentCountsRecord stored = stripes[number];
      if (stored == null) {
        changes.insert(
            RecordType.DEPLOYMENT_COUNTS, Counters.zero(phases()).record(record.id(), number, 1));
      } else {
        changes.check(RecordType.DEPLOYMENT_COUNTS, stored);
      }
    }
    return Optional.of(next);
  }

  /**
   * {@return whether a change from {@code before} to {@code after} that left the marks alone may
   * have crossed what only the sum of the stripes shows: the guard, or the finishing count}
   */
  static boolean needsReview(Deployment before, Deployment after) {
    if (after.finished().isPresent() || marksChanged(before, after)) {
      return false;
    }
    Counters change = Counters.of(after).minus(Counters.of(before));
    return change.changesGuardOrFinished()
        && (after.options().guard().isPresent() || after.finishAt() > 0);
  }

  /**
   * {@return stripe {@code number}'s share of {@code total}: the total split as evenly as can be,
   * the first stripes taking one more}
   */
  long quota(long total, int number) {
    int count = record.stripeCount();
    return total / count + (number < total % count ? 1 : 0);
  }

  /** The first stripe from {@code start} on (cyclically) that {@code fits}. */
  private int pick(int start, IntPredicate fits, String what) {
    int count = record.stripeCount();
    for (int i = 0; i < count; i++) {
      int number = (start + i) % count;
      if (fits.test(number)) {
        return number;
      }
    }
    // the decision saw room in the sum, so some stripe had it when read: it changed since
    throw new IllegalStateException(
        "no stripe of deployment " + record.id() + " has room for " + what + ": read stale");
  }

  private static void add(Map<Integer, Counters> parts, int stripe, Counters part) {
    parts.merge(stripe, part, Counters::plus);
  }

  private static boolean marksChanged(Deployment before, Deployment after) {
    return before.paused() != after.paused()
        || before.stopped() != after.stopped()
        || !before.finished().equals(after.finished())
        || !before.guardTrip().equals(after.guardTrip());
  }
}
