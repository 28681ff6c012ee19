package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Nd4jRuntimeTest {

    @Test
    void everyThreadKnobReportsTheConfiguredCount() {
        Nd4jRuntime.configure(2);
        assertThat(Nd4jRuntime.reportedThreads()).containsExactly(2, 2, 2);
        Nd4jRuntime.configureDefault();
        assertThat(Nd4jRuntime.reportedThreads()).containsExactly(1, 1, 1);
    }

    @Test
    void rejectsANonPositiveCount() {
        assertThatThrownBy(() -> Nd4jRuntime.configure(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be >= 1");
    }
}
