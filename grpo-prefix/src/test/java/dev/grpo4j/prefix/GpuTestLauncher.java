package dev.grpo4j.prefix;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs this module's tests without Maven, for {@code scripts/gpu-bench.sh} on a machine that has a
 * GPU but no build tools: {@code GpuTestLauncher gpu} runs the tests tagged {@code gpu}, {@code
 * GpuTestLauncher default} every test outside the {@code gpu} and {@code slow} tags (on a GPU
 * machine DJL's default device is the GPU, so these run there too). Prints one line per test and a
 * summary; the exit status is 1 if a test failed and 2 if none ran or all were skipped.
 */
public final class GpuTestLauncher {

    private GpuTestLauncher() {}

    /**
     * Runs the selected tests.
     *
     * @param argv {@code gpu} or {@code default}
     */
    public static void main(String[] argv) {
        boolean gpu = argv.length > 0 && "gpu".equals(argv[0]);
        LauncherDiscoveryRequest request =
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectPackage("dev.grpo4j.prefix"))
                        .filters(
                                gpu
                                        ? TagFilter.includeTags("gpu")
                                        : TagFilter.excludeTags("gpu", "slow"))
                        .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, new LineListener(), summary);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        TestExecutionSummary result = summary.getSummary();
        result.printTo(out);
        result.printFailuresTo(out, 25);
        out.flush();
        if (result.getTotalFailureCount() > 0) {
            System.exit(1);
        }
        if (result.getTestsSucceededCount() == 0) {
            System.exit(2);
        }
    }

    /** Prints {@code PASS}, {@code FAIL} or {@code SKIP} with each test's name. */
    private static final class LineListener implements TestExecutionListener {
        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                System.out.println("SKIP " + test.getLegacyReportingName() + ": " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) {
                return;
            }
            // A failed assumption (no GPU visible) aborts a test: that is a skip, not a failure.
            String status =
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> "PASS";
                        case ABORTED -> "SKIP";
                        case FAILED -> "FAIL";
                    };
            System.out.println(
                    status
                            + " "
                            + test.getUniqueIdObject().getSegments().get(1).getValue()
                            + " "
                            + test.getLegacyReportingName()
                            + result.getThrowable().map(t -> ": " + t).orElse(""));
        }
    }
}
