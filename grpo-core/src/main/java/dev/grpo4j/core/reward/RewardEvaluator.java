package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a batch of completions with every function of a {@link RewardSet} (or {@link
 * ItemRewardSet}), calling them in parallel with a timeout per call.
 *
 * <pre>{@code
 * try (RewardEvaluator evaluator = RewardEvaluator.builder()
 *         .optTimeout(Duration.ofSeconds(10))
 *         .optFailurePolicy(RewardFailurePolicy.NAN)
 *         .build()) {
 *     RewardMatrix rewards = evaluator.evaluate(rewardSet, completions);
 *     double[] r = rewards.combine(RewardAggregation.SUM_THEN_NORMALIZE, groupIds);
 * }
 * }</pre>
 *
 * <p><b>Parallelism and order.</b> Every (completion, function) pair is one call, submitted to the
 * executor in batch order. Results are placed by position, so the output is the same whatever the
 * thread timing and equals a sequential run (an executor of {@code Runnable::run} gives one).
 *
 * <p><b>Executor.</b> Either the caller's ({@link Builder#optExecutor(Executor)}; {@link #close()}
 * leaves it running) or a fixed pool of daemon threads owned by the evaluator ({@link
 * Builder#optThreads(int)}, default one per processor; {@link #close()} shuts it down).
 *
 * <p><b>Timeouts.</b> Each call may run for {@link #timeout()} (default {@value
 * #DEFAULT_TIMEOUT_SECONDS} s) measured from when it starts, not from when it was queued. A call
 * past its limit is cancelled with an interrupt and reported as {@link
 * RewardException.Kind#TIMEOUT}. A function that ignores interrupts cannot be stopped: its result
 * is discarded, but it keeps its thread busy until it returns. In the owned pool that thread is a
 * daemon (it never keeps the JVM alive) and the pool has one fewer thread until then; with a
 * caller-run executor it blocks the caller. Prefer interruptible waits (sleep, futures,
 * interruptible I/O) in slow functions.
 *
 * <p><b>Failures.</b> Under {@link RewardFailurePolicy#RAISE} (the default) the first failed call
 * in batch order cancels the rest and raises its {@link RewardException}. Under {@link
 * RewardFailurePolicy#NAN} failed calls become NaN, are counted per function in the result and are
 * logged. A function that returns an infinite value (or, for item rewards, null or the wrong number
 * of ranks) always raises.
 *
 * <p>An evaluator may be used from several threads at once.
 */
public final class RewardEvaluator implements AutoCloseable {

    /** The default per-call timeout in seconds. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(RewardEvaluator.class);

    private final Executor executor;
    private final ExecutorService ownedPool;
    private final Duration timeout;
    private final long timeoutNanos;
    private final RewardFailurePolicy failurePolicy;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RewardEvaluator(Builder b) {
        this.timeout = b.timeout;
        this.timeoutNanos = saturatedNanos(b.timeout);
        this.failurePolicy = b.failurePolicy;
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownedPool = null;
        } else {
            int threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
            this.ownedPool = Executors.newFixedThreadPool(threads, daemonThreads());
            this.executor = ownedPool;
        }
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores every completion with every function.
     *
     * @param rewards the K functions and their weights
     * @param completions the B completions, in batch order
     * @return {@code [B][K]} rewards in batch and function order, with the weights and failure
     *     counts
     * @throws RewardException if a call failed under {@link RewardFailurePolicy#RAISE}, or returned
     *     an infinite value under any policy
     * @throws IllegalArgumentException if the batch is empty
     * @throws IllegalStateException if the evaluator is closed or the executor rejects the calls
     * @throws CancellationException if the calling thread is interrupted while waiting (its
     *     interrupt flag is set again)
     */
    public RewardMatrix evaluate(RewardSet rewards, List<Completion> completions) {
        Objects.requireNonNull(rewards, "rewards");
        List<Scorer> scorers = new ArrayList<>();
        for (RewardFunction f : rewards.functions()) {
            scorers.add(new Scorer(f.name(), false, c -> new double[] {f.score(c)}));
        }
        int[] failures = new int[rewards.size()];
        double[][][] results = run(scorers, completions, 1, failures);
        double[][] values = new double[results.length][rewards.size()];
        for (int i = 0; i < results.length; i++) {
            for (int k = 0; k < rewards.size(); k++) {
                values[i][k] = results[i][k][0];
            }
        }
        return RewardMatrix.of(rewards.names(), rewards.weights(), values, failures);
    }

    /**
     * Scores every ranked-list completion with every item-reward function.
     *
     * @param rewards the M item-reward functions and their weights
     * @param completions the B completions, in batch order
     * @param itemCount N, the number of ranks every function must return
     * @return {@code [B][M][N]} rewards with the weights and failure counts; {@link
     *     ItemRewardMatrix#combined()} gives the {@code [B][N]} weighted per-rank sums
     * @throws RewardException if a call failed under {@link RewardFailurePolicy#RAISE}, or returned
     *     null, an infinite value or a number of ranks other than {@code itemCount} under any
     *     policy
     * @throws IllegalArgumentException if the batch is empty or {@code itemCount <= 0}
     * @throws IllegalStateException if the evaluator is closed or the executor rejects the calls
     * @throws CancellationException if the calling thread is interrupted while waiting
     */
    public ItemRewardMatrix evaluateItems(
            ItemRewardSet rewards, List<Completion> completions, int itemCount) {
        Objects.requireNonNull(rewards, "rewards");
        Checks.positive("item count", itemCount);
        List<Scorer> scorers = new ArrayList<>();
        for (ItemRewardFunction f : rewards.functions()) {
            // Copied on return: the function may reuse its array for the next completion.
            scorers.add(new Scorer(f.name(), true, c -> copyOf(f.score(c))));
        }
        int[] failures = new int[rewards.size()];
        double[][][] values = run(scorers, completions, itemCount, failures);
        return ItemRewardMatrix.of(rewards.names(), rewards.weights(), values, itemCount, failures);
    }

    /**
     * The per-call time limit.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * What happens when a call throws or times out.
     *
     * @return the policy
     */
    public RewardFailurePolicy failurePolicy() {
        return failurePolicy;
    }

    /**
     * Whether the evaluator runs calls on a pool it owns (and shuts down on {@link #close()}).
     *
     * @return true for the owned pool, false for a caller's executor
     */
    public boolean ownsExecutor() {
        return ownedPool != null;
    }

    /**
     * Closes the evaluator; later calls to {@code evaluate} fail with an {@link
     * IllegalStateException}. An owned pool is shut down and its running calls interrupted; a
     * caller's executor is left running. Idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true) || ownedPool == null) {
            return;
        }
        // Calls still queued never run: cancel them so a concurrent evaluate() wakes up.
        for (Runnable queued : ownedPool.shutdownNow()) {
            if (queued instanceof Future<?> f) {
                f.cancel(false);
            }
        }
    }

    /** Runs every (completion, scorer) pair and collects {@code [B][K][width]} values. */
    private double[][][] run(
            List<Scorer> scorers, List<Completion> completions, int width, int[] failures) {
        Objects.requireNonNull(completions, "completions");
        Checks.require(!completions.isEmpty(), "cannot score an empty batch of completions");
        for (int i = 0; i < completions.size(); i++) {
            Objects.requireNonNull(completions.get(i), "completion " + i);
        }
        if (closed.get()) {
            throw new IllegalStateException("the reward evaluator is closed");
        }
        int b = completions.size();
        int k = scorers.size();
        Call[][] calls = new Call[b][k];
        for (int i = 0; i < b; i++) {
            for (int f = 0; f < k; f++) {
                calls[i][f] = new Call(scorers.get(f), completions.get(i), timeoutNanos);
            }
        }
        for (int i = 0; i < b; i++) {
            for (int f = 0; f < k; f++) {
                submit(calls, i, f);
            }
        }
        // Collect in batch order: the result, and under RAISE the exception, do not depend on
        // which call happened to finish first.
        double[][][] out = new double[b][k][];
        for (int i = 0; i < b; i++) {
            for (int f = 0; f < k; f++) {
                out[i][f] = collect(calls, i, f, width, failures);
            }
        }
        return out;
    }

    private void submit(Call[][] calls, int i, int f) {
        try {
            executor.execute(calls[i][f]);
        } catch (RejectedExecutionException e) {
            cancelAll(calls);
            throw new IllegalStateException(
                    String.format(
                            "the reward executor rejected the call of '%s' on rollout %d%s",
                            calls[i][f].scorer.name,
                            calls[i][f].completion.index(),
                            closed.get()
                                    ? " because the evaluator was closed"
                                    : "; has it been shut down?"),
                    e);
        }
    }

    /** Waits for one call and returns its checked values, or the policy's replacement. */
    private double[] collect(Call[][] calls, int i, int f, int width, int[] failures) {
        Call call = calls[i][f];
        String name = call.scorer.name;
        int rollout = call.completion.index();
        RewardException failure;
        try {
            double[] v = call.get();
            String invalid = describeInvalid(v, width, call.scorer.items);
            if (invalid == null) {
                return v;
            }
            failure = RewardException.invalid(name, f, rollout, invalid);
            cancelAll(calls);
            throw failure;
        } catch (ExecutionException e) {
            failure = RewardException.threw(name, f, rollout, e.getCause());
        } catch (CancellationException e) {
            if (!call.timedOut) {
                // Only close() cancels a call that did not time out.
                cancelAll(calls);
                throw new IllegalStateException("the reward evaluator was closed while scoring", e);
            }
            failure = RewardException.timedOut(name, f, rollout, timeout);
        } catch (InterruptedException e) {
            cancelAll(calls);
            Thread.currentThread().interrupt();
            CancellationException stop =
                    new CancellationException("interrupted while waiting for reward calls");
            stop.initCause(e);
            throw stop;
        }
        double[] replacement;
        try {
            replacement = failurePolicy.onFailure(failure, width);
        } catch (RewardException raised) {
            cancelAll(calls);
            throw raised;
        }
        failures[f]++;
        LOG.warn("{}; recorded as NaN", failure.getMessage());
        return replacement;
    }

    /** What is wrong with a function's result, or null if nothing is. */
    private static String describeInvalid(double[] v, int width, boolean items) {
        if (v == null) {
            return "null";
        }
        if (v.length != width) {
            return v.length + " item ranks instead of " + width;
        }
        for (int n = 0; n < v.length; n++) {
            if (Double.isInfinite(v[n])) {
                return items ? v[n] + " at rank " + n : String.valueOf(v[n]);
            }
        }
        return null;
    }

    private static double[] copyOf(double[] v) {
        return v == null ? null : v.clone();
    }

    private static void cancelAll(Call[][] calls) {
        for (Call[] row : calls) {
            for (Call call : row) {
                if (call != null) {
                    call.cancel(true);
                }
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "grpo4j-reward-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A function adapted to return an array: one value for scalar rewards, N for item rewards. */
    private static final class Scorer {
        final String name;
        final boolean items;
        final ArrayScore body;

        Scorer(String name, boolean items, ArrayScore body) {
            this.name = name;
            this.items = items;
            this.body = body;
        }
    }

    /** A reward call that returns its values as an array. */
    @FunctionalInterface
    private interface ArrayScore {
        double[] score(Completion c);
    }

    /**
     * One (completion, function) call. Its timeout clock starts when an executor thread picks it
     * up, so time spent queued behind other calls does not count.
     */
    private static final class Call extends FutureTask<double[]> {
        final Scorer scorer;
        final Completion completion;
        private final long timeoutNanos;
        volatile boolean timedOut;

        Call(Scorer scorer, Completion completion, long timeoutNanos) {
            super(() -> scorer.body.score(completion));
            this.scorer = scorer;
            this.completion = completion;
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void run() {
            if (isDone()) {
                return; // cancelled while queued
            }
            ScheduledFuture<?> alarm =
                    Watchdog.TIMER.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            try {
                super.run();
            } finally {
                alarm.cancel(false);
                if (isCancelled()) {
                    // Only this class cancels calls (timeout, abort); the interrupt that came with
                    // it has been delivered by now and must not leak into the executor's thread,
                    // or into the caller's for a caller-runs executor.
                    Thread.interrupted();
                }
            }
        }

        private void expire() {
            if (!isDone()) {
                timedOut = true;
                cancel(true);
            }
        }
    }

    /**
     * One daemon timer thread shared by all evaluators, created on first use. It only fires
     * cancellations, so it never needs more than one thread and never needs shutting down.
     */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer =
                    new ScheduledThreadPoolExecutor(
                            1,
                            r -> {
                                Thread t = new Thread(r, "grpo4j-reward-watchdog");
                                t.setDaemon(true);
                                return t;
                            });
            // Calls that finish in time cancel their alarm; drop it at once instead of holding it
            // (and its completion) until the timeout would have fired.
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }

    /** Builds a {@link RewardEvaluator}; every setting is optional. */
    public static final class Builder {
        private Executor executor;
        private int threads;
        private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        private RewardFailurePolicy failurePolicy = RewardFailurePolicy.RAISE;

        private Builder() {}

        /**
         * Runs the calls on the caller's executor, which {@link RewardEvaluator#close()} leaves
         * running. Not combinable with {@link #optThreads(int)}.
         *
         * @param executor the executor; {@code Runnable::run} scores sequentially on the caller
         * @return this builder
         */
        public Builder optExecutor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sizes the evaluator's own daemon pool (default: one thread per available processor).
         * Reward functions that wait on I/O profit from more threads than cores.
         *
         * @param threads the pool size, &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if {@code threads <= 0}
         */
        public Builder optThreads(int threads) {
            this.threads = Checks.positive("reward thread count", threads);
            return this;
        }

        /**
         * Sets the per-call time limit (default {@value RewardEvaluator#DEFAULT_TIMEOUT_SECONDS}
         * s).
         *
         * @param timeout the limit, &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if the timeout is zero or negative
         */
        public Builder optTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            Checks.require(
                    !timeout.isNegative() && !timeout.isZero(),
                    "reward timeout must be > 0 but was %s",
                    timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * Chooses what happens when a call throws or times out (default {@link
         * RewardFailurePolicy#RAISE}).
         *
         * @param failurePolicy the policy
         * @return this builder
         */
        public Builder optFailurePolicy(RewardFailurePolicy failurePolicy) {
            this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
            return this;
        }

        /**
         * Validates and builds; without {@link #optExecutor(Executor)} this starts the owned pool.
         *
         * @return the evaluator
         * @throws IllegalArgumentException if both an executor and a thread count were given
         */
        public RewardEvaluator build() {
            Checks.require(
                    executor == null || threads == 0,
                    "optThreads(%d) sizes the evaluator's own pool and cannot be combined with"
                            + " optExecutor",
                    threads);
            return new RewardEvaluator(this);
        }
    }
}
