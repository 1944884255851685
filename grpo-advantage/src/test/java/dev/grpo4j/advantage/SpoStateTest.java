package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SPO's tracker across checkpoints (JSON) and threads. */
class SpoStateTest {

    private static SpoAdvantage trained(long seed, int prompts, int updates) {
        Random random = new Random(seed);
        SpoAdvantage spo = SpoAdvantage.builder().build();
        for (int i = 0; i < prompts; i++) {
            spo.initialize("prompt-" + i, random.nextInt(9), 8);
        }
        for (int u = 0; u < updates; u++) {
            spo.update(
                    "prompt-" + random.nextInt(prompts),
                    random.nextDouble(),
                    random.nextDouble() * 0.2);
        }
        return spo;
    }

    @Test
    void jsonRoundTripGivesIdenticalEstimatesAndUpdates() {
        SpoAdvantage original = trained(1, 30, 200);
        SpoAdvantage restored = SpoAdvantage.builder().build();

        restored.restoreState(original.stateToJson());

        assertThat(restored.trackedCount()).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            String id = "prompt-" + i;
            assertThat(restored.posterior(id)).isEqualTo(original.posterior(id));
            assertThat(restored.samplingWeight(id)).isEqualTo(original.samplingWeight(id));
        }
        String[] ids = {"prompt-3", "prompt-7", "prompt-3"};
        double[] rewards = {1, 0.25, 0};
        assertThat(restored.compute(ids, rewards)).containsExactly(original.compute(ids, rewards));
        restored.updateAll(ids, rewards, new double[] {0.01, 0.2, 0});
        original.updateAll(ids, rewards, new double[] {0.01, 0.2, 0});
        assertThat(restored.stateToJson()).isEqualTo(original.stateToJson());
    }

    @Test
    void jsonNamesFormatVersionAndPrompts() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("b", 0, 0);
        spo.initialize("a", 0, 0);

        assertThat(spo.stateToJson())
                .isEqualTo(
                        "{\"format\":\"grpo4j-spo-tracker\",\"version\":1,\"prompts\":["
                                + "{\"id\":\"a\",\"alpha\":0.5,\"beta\":0.5},"
                                + "{\"id\":\"b\",\"alpha\":0.5,\"beta\":0.5}]}");
    }

    @Test
    void restoreReplacesTheWholeState() {
        SpoAdvantage spo = trained(2, 5, 10);
        SpoAdvantage other = SpoAdvantage.builder().build();
        other.initialize("only", 1, 2);

        spo.restoreState(other.stateToJson());

        assertThat(spo.trackedCount()).isEqualTo(1);
        assertThat(spo.isTracked("prompt-0")).isFalse();
    }

    @Test
    void rejectsJsonOfAnotherFormat() {
        SpoAdvantage spo = trained(3, 3, 3);
        String before = spo.stateToJson();

        assertThatThrownBy(
                        () ->
                                spo.restoreState(
                                        "{\"format\":\"grpo\",\"version\":1,\"prompts\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format must be 'grpo4j-spo-tracker' but was 'grpo'");
        assertThat(spo.stateToJson()).isEqualTo(before);
    }

    @Test
    void rejectsMalformedJson() {
        assertThatThrownBy(() -> SpoAdvantage.builder().build().restoreState("{\"format\": "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void rejectsEntryWithNonPositiveBeta() {
        String json =
                "{\"format\":\"grpo4j-spo-tracker\",\"version\":1,\"prompts\":"
                        + "[{\"id\":\"x\",\"alpha\":1.0,\"beta\":-2.0}]}";

        assertThatThrownBy(() -> SpoAdvantage.builder().build().restoreState(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt entry 0 ('x')")
                .hasMessageContaining("beta=-2.0");
    }

    @Test
    void rejectsEntryWithoutAlpha() {
        String json =
                "{\"format\":\"grpo4j-spo-tracker\",\"version\":1,\"prompts\":"
                        + "[{\"id\":\"x\",\"beta\":2.0}]}";

        assertThatThrownBy(() -> SpoAdvantage.builder().build().restoreState(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a number 'alpha'");
    }

    @Test
    void rejectsDuplicatePrompt() {
        String entry = "{\"id\":\"x\",\"alpha\":1.0,\"beta\":2.0}";
        String json =
                "{\"format\":\"grpo4j-spo-tracker\",\"version\":1,\"prompts\":["
                        + entry
                        + ","
                        + entry
                        + "]}";

        assertThatThrownBy(() -> SpoAdvantage.builder().build().restoreState(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt 'x' appears twice");
    }

    @Test
    void rejectsUnknownVersion() {
        assertThatThrownBy(
                        () ->
                                SpoAdvantage.builder()
                                        .build()
                                        .restoreState(
                                                "{\"format\":\"grpo4j-spo-tracker\","
                                                        + "\"version\":2,\"prompts\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version must be 1 but was 2");
    }

    @Test
    void concurrentUpdatesOfDisjointPromptsEqualSequentialUpdates() throws Exception {
        int threads = 4;
        int perThread = 500;
        SpoAdvantage concurrent = trained(4, 40, 0);
        SpoAdvantage sequential = trained(4, 40, 0);
        // Thread t owns prompts with index % threads == t and replays its own seeded stream.
        List<Runnable> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(updater(concurrent, t, threads, perThread));
        }

        runConcurrently(work, concurrent);
        for (int t = 0; t < threads; t++) {
            updater(sequential, t, threads, perThread).run();
        }

        assertThat(concurrent.stateToJson()).isEqualTo(sequential.stateToJson());
    }

    @Test
    void concurrentIdenticalUpdatesOfOnePromptCommute() throws Exception {
        // Every thread applies the same map f(alpha, beta) to the same prompt; applied 800 times in
        // any order it gives f^800, so the final state is deterministic iff no update is lost or
        // torn.
        SpoAdvantage concurrent = SpoAdvantage.builder().build();
        SpoAdvantage sequential = SpoAdvantage.builder().build();
        concurrent.initialize("x", 3, 8);
        sequential.initialize("x", 3, 8);
        List<Runnable> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            work.add(
                    () -> {
                        for (int i = 0; i < 200; i++) {
                            concurrent.update("x", 0.7, 0.03);
                        }
                    });
        }

        runConcurrently(work, concurrent);
        for (int i = 0; i < 800; i++) {
            sequential.update("x", 0.7, 0.03);
        }

        assertThat(concurrent.posterior("x")).isEqualTo(sequential.posterior("x"));
    }

    private static Runnable updater(SpoAdvantage spo, int thread, int threads, int count) {
        return () -> {
            Random random = new Random(100 + thread);
            for (int i = 0; i < count; i++) {
                int prompt = thread + threads * random.nextInt(40 / threads);
                spo.update("prompt-" + prompt, random.nextDouble(), random.nextDouble() * 0.1);
            }
        };
    }

    /**
     * Runs the work on its own threads while a reader thread keeps computing advantages, sampling
     * weights and snapshots, which must never fail or see an unknown prompt.
     */
    private static void runConcurrently(List<Runnable> work, SpoAdvantage spo) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size() + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable r : work) {
                futures.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    r.run();
                                    return null;
                                }));
            }
            Future<?> reader =
                    pool.submit(
                            () -> {
                                start.await();
                                String id = spo.isTracked("x") ? "x" : "prompt-0";
                                for (int i = 0; i < 200; i++) {
                                    spo.compute(new String[] {id, id}, new double[] {1, 0});
                                    spo.samplingWeight(id);
                                    spo.stateToJson();
                                }
                                return null;
                            });
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
