package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RewardEvaluatorTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    /** Generous bound that only catches a hang; never a performance assertion. */
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    private static final RewardFunction LENGTH = RewardFunction.named("length", c -> c.length());

    /** Sleeps a little, differently per row, so that parallel calls finish out of order. */
    private static final RewardFunction JITTERY =
            RewardFunction.named(
                    "jittery",
                    c -> {
                        sleep((7L * (c.index() + 3)) % 11);
                        return c.index() % 3 == 0 ? Double.NaN : 10.0 * c.index();
                    });

    private static final RewardFunction SLEEPER =
            RewardFunction.named(
                    "sleeper",
                    c -> {
                        sleep(60_000);
                        return 1.0;
                    });

    private static RewardException raised(ThrowingCallable call) {
        return catchThrowableOfType(RewardException.class, call);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static RewardFunction throwingOn(int index, long delayMillis) {
        return RewardFunction.named(
                "judge",
                c -> {
                    if (c.index() == index) {
                        sleep(delayMillis);
                        throw new IllegalStateException("boom at " + index);
                    }
                    return 1.0;
                });
    }

    private static RewardEvaluator parallel(RewardFailurePolicy policy) {
        return RewardEvaluator.builder()
                .optThreads(4)
                .optTimeout(SHORT)
                .optFailurePolicy(policy)
                .build();
    }

    @Test
    void parallelResultsEqualSequentialOnesInOrder() {
        RewardSet set = RewardSet.of(List.of(LENGTH, JITTERY), new double[] {1, 0.5});
        List<Completion> batch = Fixtures.batch(12);
        RewardMatrix sequential;
        try (RewardEvaluator seq = RewardEvaluator.builder().optExecutor(Runnable::run).build()) {
            sequential = seq.evaluate(set, batch);
        }
        RewardMatrix concurrent;
        try (RewardEvaluator par = RewardEvaluator.builder().optThreads(4).build()) {
            concurrent = par.evaluate(set, batch);
        }
        assertThat(concurrent).isEqualTo(sequential);
        assertThat(concurrent.names()).containsExactly("length", "jittery");
        assertThat(concurrent.weights()).containsExactly(1.0, 0.5);
        assertThat(concurrent.row(4)).containsExactly(5.0, 40.0);
        assertThat(concurrent.value(6, 1)).isNaN();
    }

    @Test
    void throwingFunctionRaisesNamingFunctionRolloutAndCause() {
        RewardSet set = RewardSet.of(LENGTH, throwingOn(2, 0));
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            RewardException e = raised(() -> ev.evaluate(set, Fixtures.batch(4)));
            assertThat(e.functionName()).isEqualTo("judge");
            assertThat(e.functionIndex()).isEqualTo(1);
            assertThat(e.rolloutIndex()).isEqualTo(2);
            assertThat(e.kind()).isEqualTo(RewardException.Kind.EXCEPTION);
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            assertThat(e)
                    .hasMessageContaining("'judge'")
                    .hasMessageContaining("rollout 2")
                    .hasMessageContaining("boom at 2");
        }
    }

    @Test
    void firstFailureInBatchOrderIsRaisedWhateverFinishesFirst() {
        // Row 1 fails late, row 3 fails at once; the error must still name row 1.
        RewardFunction late = throwingOn(1, 100);
        RewardFunction early =
                RewardFunction.named(
                        "early",
                        c -> {
                            if (c.index() == 3) {
                                throw new IllegalArgumentException("early failure");
                            }
                            return 0.0;
                        });
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            RewardException e =
                    raised(() -> ev.evaluate(RewardSet.of(late, early), Fixtures.batch(4)));
            assertThat(e.rolloutIndex()).isEqualTo(1);
            assertThat(e.functionName()).isEqualTo("judge");
        }
    }

    @Test
    void hangingFunctionTimesOut() {
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            RewardException e =
                    assertTimeoutPreemptively(
                            NO_HANG,
                            () ->
                                    raised(
                                            () ->
                                                    ev.evaluate(
                                                            RewardSet.of(LENGTH, SLEEPER),
                                                            Fixtures.batch(2))));
            assertThat(e.kind()).isEqualTo(RewardException.Kind.TIMEOUT);
            assertThat(e.functionName()).isEqualTo("sleeper");
            assertThat(e.rolloutIndex()).isEqualTo(0);
            assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
            assertThat(e).hasMessageContaining("timed out").hasMessageContaining("200 ms");
        }
    }

    @Test
    void functionIgnoringInterruptsStillTimesOut() {
        AtomicBoolean release = new AtomicBoolean();
        RewardFunction stubborn =
                RewardFunction.named(
                        "stubborn",
                        c -> {
                            while (!release.get()) {
                                Thread.onSpinWait();
                            }
                            return 1.0;
                        });
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.NAN)) {
            RewardMatrix m =
                    assertTimeoutPreemptively(
                            NO_HANG, () -> ev.evaluate(RewardSet.of(stubborn), Fixtures.batch(1)));
            assertThat(m.value(0, 0)).isNaN();
            assertThat(m.failureCount(0)).isEqualTo(1);
        } finally {
            release.set(true); // lets the still-running call end
        }
    }

    @Test
    void timeoutInterruptDoesNotLeakIntoCallerThread() {
        // With a caller-runs executor the call runs on this thread, and so does its interrupt.
        try (RewardEvaluator ev =
                RewardEvaluator.builder()
                        .optExecutor(Runnable::run)
                        .optTimeout(SHORT)
                        .optFailurePolicy(RewardFailurePolicy.NAN)
                        .build()) {
            boolean interruptedAfter =
                    assertTimeoutPreemptively(
                            NO_HANG,
                            () -> {
                                RewardMatrix m =
                                        ev.evaluate(RewardSet.of(SLEEPER), Fixtures.batch(1));
                                assertThat(m.value(0, 0)).isNaN();
                                // Read on the thread that ran evaluate(), and so the call.
                                return Thread.currentThread().isInterrupted();
                            });
            assertThat(interruptedAfter).isFalse();
        }
    }

    @Test
    void nanPolicyRecordsFailuresAsNaNAndCountsThem() {
        RewardFunction flaky =
                RewardFunction.named(
                        "flaky",
                        c -> {
                            if (c.index() % 2 == 0) {
                                throw new IllegalStateException("flaky " + c.index());
                            }
                            return 1.0;
                        });
        RewardFunction slowOnOne =
                RewardFunction.named(
                        "slow",
                        c -> {
                            if (c.index() == 1) {
                                sleep(60_000);
                            }
                            return 2.0;
                        });
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.NAN)) {
            RewardMatrix m =
                    assertTimeoutPreemptively(
                            NO_HANG,
                            () ->
                                    ev.evaluate(
                                            RewardSet.of(flaky, slowOnOne, LENGTH),
                                            Fixtures.batch(4)));
            assertThat(m.column(0)).containsExactly(Double.NaN, 1.0, Double.NaN, 1.0);
            assertThat(m.column(1)).containsExactly(2.0, Double.NaN, 2.0, 2.0);
            assertThat(m.column(2)).containsExactly(1.0, 2.0, 3.0, 4.0);
            assertThat(m.failureCounts()).containsExactly(2, 1, 0);
        }
    }

    @Test
    void missingReferenceAnswerIsReportedAsFunctionFailure() {
        RewardSet set = RewardSet.of(ExactMatchReward.of("solution"));
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            RewardException e =
                    raised(() -> ev.evaluate(set, List.of(Fixtures.answering("42", "42"))));
            assertThat(e.functionName()).isEqualTo("exact_match");
            assertThat(e.getCause())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'solution'");
        }
    }

    @Test
    void infiniteRewardIsRejectedEvenUnderNanPolicy() {
        RewardFunction broken =
                RewardFunction.named(
                        "broken", c -> c.index() == 1 ? Double.POSITIVE_INFINITY : 0.0);
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.NAN)) {
            RewardException e = raised(() -> ev.evaluate(RewardSet.of(broken), Fixtures.batch(3)));
            assertThat(e.kind()).isEqualTo(RewardException.Kind.INVALID_VALUE);
            assertThat(e.rolloutIndex()).isEqualTo(1);
            assertThat(e)
                    .hasMessageContaining("'broken'")
                    .hasMessageContaining("Infinity")
                    .hasMessageContaining("rollout 1");
        }
    }

    @Test
    void itemRewardsAreEvaluatedPerRankAndCombined() {
        // hits: rank n is a hit when n < index; penalty: -1 at rank 0 only.
        ItemRewardFunction hits =
                ItemRewardFunction.named(
                        "hits",
                        c -> {
                            double[] h = new double[3];
                            for (int n = 0; n < 3; n++) {
                                h[n] = n < c.index() ? 1 : 0;
                            }
                            return h;
                        });
        ItemRewardFunction penalty =
                ItemRewardFunction.named("penalty", c -> new double[] {-1, Double.NaN, Double.NaN});
        ItemRewardSet set = ItemRewardSet.of(List.of(hits, penalty), new double[] {1, 0.5});
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            ItemRewardMatrix m = ev.evaluateItems(set, Fixtures.batch(3), 3);
            assertThat(m.values(2, 0)).containsExactly(1, 1, 0);
            double[][] c = m.combined();
            assertThat(c[0]).containsExactly(-0.5, 0, 0);
            assertThat(c[1]).containsExactly(0.5, 0, 0);
            assertThat(c[2]).containsExactly(0.5, 1, 0);
        }
    }

    @Test
    void itemRewardWithWrongRankCountIsRejected() {
        ItemRewardFunction shortList = ItemRewardFunction.named("short", c -> new double[] {1, 0});
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.NAN)) {
            assertThatThrownBy(
                            () ->
                                    ev.evaluateItems(
                                            ItemRewardSet.of(shortList), Fixtures.batch(1), 3))
                    .isInstanceOf(RewardException.class)
                    .hasMessageContaining("'short'")
                    .hasMessageContaining("2 item ranks instead of 3")
                    .hasMessageContaining("rollout 0");
        }
    }

    @Test
    void closedEvaluatorRejectsCalls() {
        RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE);
        assertThat(ev.ownsExecutor()).isTrue();
        ev.close();
        ev.close(); // idempotent
        assertThatThrownBy(() -> ev.evaluate(RewardSet.of(LENGTH), Fixtures.batch(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeLeavesCallersExecutorRunning() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            RewardEvaluator ev = RewardEvaluator.builder().optExecutor(pool).build();
            assertThat(ev.ownsExecutor()).isFalse();
            assertThat(ev.evaluate(RewardSet.of(LENGTH), Fixtures.batch(2)).column(0))
                    .containsExactly(1.0, 2.0);
            ev.close();
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shutDownExecutorIsReported() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        try (RewardEvaluator ev = RewardEvaluator.builder().optExecutor(pool).build()) {
            assertThatThrownBy(() -> ev.evaluate(RewardSet.of(LENGTH), Fixtures.batch(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rejected the call of 'length' on rollout 0")
                    .hasMessageContaining("shut down");
        }
    }

    @Test
    void interruptedCallerGetsCancellationWithFlagKept() {
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> ev.evaluate(RewardSet.of(SLEEPER), Fixtures.batch(1)))
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.interrupted()).isTrue(); // also clears it for the next test
        }
    }

    @Test
    void rejectsEmptyBatch() {
        try (RewardEvaluator ev = parallel(RewardFailurePolicy.RAISE)) {
            assertThatThrownBy(() -> ev.evaluate(RewardSet.of(LENGTH), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty batch");
        }
    }

    @Test
    void rejectsNonPositiveTimeoutNamingIt() {
        assertThatThrownBy(() -> RewardEvaluator.builder().optTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RewardEvaluator.builder().optTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.005S");
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        assertThatThrownBy(() -> RewardEvaluator.builder().optThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward thread count must be > 0 but was 0");
    }

    @Test
    void rejectsThreadCountWithCallersExecutor() {
        assertThatThrownBy(
                        () ->
                                RewardEvaluator.builder()
                                        .optExecutor(Runnable::run)
                                        .optThreads(3)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optThreads(3)");
    }

    @Test
    void defaultsAreThirtySecondsAndRaise() {
        try (RewardEvaluator ev = RewardEvaluator.builder().build()) {
            assertThat(ev.timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(ev.failurePolicy()).isEqualTo(RewardFailurePolicy.RAISE);
        }
    }
}
