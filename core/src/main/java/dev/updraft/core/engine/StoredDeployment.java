package dev.updraft.core.engine;

import dev.updraft.core.deployment.Deployment;
import dev.updraft.spi.ChangeSet;
import dev.updraft.spi.DeploymentCountsRecord;
import dev.updraft.spi.DeploymentRecord;
import dev.updraft.spi.RecordType;
import dev.updraft.spi.StoredRecord;
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
 * deployment afresh ({@link Written#REVIEW}); of two such commits, the later one's review sees
 * both.
 */
final class StoredDeployment {
  final DeploymentRecord record;
  private final Mapping.Definition definition;
  private final Supplier<List<DeploymentCountsRecord>> read;
  private final Map<String, Summed> summed;

  /** By stripe number, null where no commit wrote the stripe yet; read when first needed. */
  private @Nullable DeploymentCountsRecord @Nullable [] stripes;

  private @Nullable Deployment deployment;

  /** What {@link #write} wrote: the record and stripes as they will be once it is committed. */
  private @Nullable Summed written;

  /**
   * A deployment summed from its record and stripes, kept with them: a poll or report that reads
   * the same records (the in-memory store and the embedded H2 copy hand out the stored instances)
   * takes the sum without decoding it again, and a commit leaves what it wrote for the next one.
   *
   * @param record the deployment's record
   * @param stripes its stripes, by number (null where absent)
   * @param deployment what they sum to
   */
  record Summed(
      DeploymentRecord record, @Nullable DeploymentCountsRecord[] stripes, Deployment deployment) {}

  /**
   * A deployment whose stripes {@code read} reads, when first needed: a finished deployment's
   * record is all most reads need (a poll skips it), and an open one's stripes are read once.
   */
  StoredDeployment(
      DeploymentRecord record,
      Mapping.Definition definition,
      Supplier<List<DeploymentCountsRecord>> read,
      Map<String, Summed> summed) {
    this.record = record;
    this.definition = definition;
    this.read = read;
    this.summed = summed;
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
      @Nullable DeploymentCountsRecord[] stripes = stripes();
      Summed kept = summed.get(record.id());
      if (kept != null && same(kept.record(), record) && same(kept.stripes(), stripes)) {
        deployment = kept.deployment();
      } else {
        deployment = Mapping.deployment(record, definition, total());
        keep(new Summed(record, stripes, deployment));
      }
    }
    return deployment;
  }

  /** Keeps what {@link #write} wrote, once its commit succeeded. */
  void committed() {
    if (written != null) {
      keep(written);
    }
  }

  private void keep(Summed sum) {
    if (summed.size() >= Context.MAXIMUM_KEPT) {
      summed.clear();
    }
    summed.put(record.id(), sum);
  }

  private static boolean same(@Nullable StoredRecord a, @Nullable StoredRecord b) {
    return a == b || (a != null && a.equals(b));
  }

  private static boolean same(
      @Nullable DeploymentCountsRecord[] a, @Nullable DeploymentCountsRecord[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
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
   * @return what the commit needs done once stored: nothing, a review ({@link #needsReview}), or
   *     its written record kept
   */
  Written write(Deployment after, ChangeSet changes) {
    Deployment before = deployment();
    @Nullable DeploymentCountsRecord[] stripes = stripes();
    @Nullable DeploymentCountsRecord[] next = stripes.clone();
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
            next[number] = part.record(record.id(), number, 1);
            changes.insert(RecordType.DEPLOYMENT_COUNTS, next[number]);
          } else {
            next[number] =
                stripe(number).plus(part).record(record.id(), number, stored.version() + 1);
            changes.update(RecordType.DEPLOYMENT_COUNTS, stored, next[number]);
          }
        });
    if (!marksChanged(before, after)) {
      changes.check(RecordType.DEPLOYMENT, record);
      written = new Summed(record, next, after);
      boolean review =
          after.finished().isEmpty()
              && change.changesGuardOrFinished()
              && (after.options().guard().isPresent() || after.finishAt() > 0);
      return review ? Written.REVIEW : Written.COUNTS;
    }
    DeploymentRecord marked = Mapping.record(after, record);
    changes.update(RecordType.DEPLOYMENT, record, marked);
    for (int number = 0; number < stripes.length; number++) {
      if (parts.containsKey(number)) {
        continue;
      }
      DeploymentCountsRecord stored = stripes[number];
      if (stored == null) {
        next[number] = Counters.zero(phases()).record(record.id(), number, 1);
        changes.insert(RecordType.DEPLOYMENT_COUNTS, next[number]);
      } else {
        changes.check(RecordType.DEPLOYMENT_COUNTS, stored);
      }
    }
    written = new Summed(marked, next, after);
    return Written.MARKS;
  }

  /** What a {@link #write} leaves for after its commit. */
  enum Written {
    /** Counters only, which no review needs. */
    COUNTS,
    /**
     * Counters only, in a way only their sum judges (the guard's counts, or the finished devices of
     * a deployment that finishes by count): the deployment needs a review afresh.
     */
    REVIEW,
    /** The marks: the deployment's record is written. */
    MARKS
  }

  /** {@return the record {@link #write} wrote: a new version when the marks changed} */
  DeploymentRecord writtenRecord() {
    return written == null ? record : written.record();
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
