package dev.grpo4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EngineSmokeCheckTest {

    @Test
    void everyCheckPassesOnTheCpu() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int failed;
        try {
            failed = EngineSmokeCheck.run("cpu");
        } finally {
            System.setOut(original);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(failed).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("CHECK ")).count()).isEqualTo(7);
        assertThat(output).contains("CHECK training steps: ok (sum of log-probs");
    }
}
