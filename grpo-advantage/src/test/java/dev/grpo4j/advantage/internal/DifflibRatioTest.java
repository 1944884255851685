package dev.grpo4j.advantage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Parity of {@link DifflibRatio} with Python's difflib. The oracle file was written by {@code
 * src/test/resources/difflib/ratio_oracle.py} (python3 3.11): 162 pairs including strings around
 * the 200-element auto-junk boundary, pairs in both orders where the ratio is asymmetric, and code
 * points beyond the BMP.
 */
class DifflibRatioTest {

    private record Case(String a, String b, double ratio) {}

    @Test
    void matchesPythonOnEveryOracleCaseExactly() throws IOException {
        List<Case> cases = oracle();
        assertThat(cases).hasSize(162);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            assertThat(DifflibRatio.ratio(c.a(), c.b()))
                    .as("case %d: a=%s b=%s", i, c.a(), c.b())
                    .isEqualTo(c.ratio());
        }
    }

    @Test
    void oracleContainsAsymmetricPairsAndTheyAgree() throws IOException {
        int asymmetric = 0;
        for (Case c : oracle()) {
            double forward = DifflibRatio.ratio(c.a(), c.b());
            double backward = DifflibRatio.ratio(c.b(), c.a());
            if (forward != backward) {
                asymmetric++;
            }
        }
        // The auto-junk rule only looks at b, so long strings with popular characters differ.
        assertThat(asymmetric).isGreaterThan(10);
    }

    // python3 -c "import difflib; print(difflib.SequenceMatcher(None,'abc','abd').ratio())"
    @Test
    void smallExample() {
        assertThat(DifflibRatio.ratio("abc", "abd")).isEqualTo(0.6666666666666666);
    }

    @Test
    void emptyStringsAreIdentical() {
        assertThat(DifflibRatio.ratio("", "")).isEqualTo(1.0);
        assertThat(DifflibRatio.ratio("", "abc")).isEqualTo(0.0);
    }

    /** With every element popular, the search finds nothing but still grows a match from (0, 0). */
    @Test
    void identicalStringsOfPopularElementsHaveRatioOne() {
        String s = "ab".repeat(150);
        assertThat(new DifflibRatio(s).ratio(new String(s.toCharArray()))).isEqualTo(1.0);
    }

    @Test
    void codePointsNotUtf16UnitsAreCompared() {
        // Two emoji sharing their UTF-16 high surrogate: compared by char they would give 0.5;
        // as code points they share nothing. python3: SequenceMatcher(None,'\U0001F600',
        // '\U0001F601').ratio() == 0.0
        assertThat(DifflibRatio.ratio("\uD83D\uDE00", "\uD83D\uDE01")).isEqualTo(0.0);
    }

    @Test
    void lengthBoundIsAnUpperBound() throws IOException {
        for (Case c : oracle()) {
            DifflibRatio matcher = new DifflibRatio(c.b());
            assertThat(matcher.upperBound(c.a())).isGreaterThanOrEqualTo(matcher.ratio(c.a()));
        }
    }

    @Test
    void oneMatcherGivesTheSameRatiosWhenReused() throws IOException {
        List<Case> cases = oracle();
        Case first = cases.get(cases.size() - 1);
        DifflibRatio matcher = new DifflibRatio(first.b());
        for (int i = 0; i < 3; i++) {
            for (Case c : cases) {
                assertThat(matcher.ratio(c.a())).isEqualTo(DifflibRatio.ratio(c.a(), first.b()));
            }
        }
    }

    private static List<Case> oracle() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in =
                        Objects.requireNonNull(
                                DifflibRatioTest.class.getResourceAsStream(
                                        "/difflib/ratio_cases.jsonl"));
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                cases.add(
                        new Case(
                                o.get("a").getAsString(),
                                o.get("b").getAsString(),
                                o.get("ratio").getAsDouble()));
            }
        }
        return cases;
    }
}
