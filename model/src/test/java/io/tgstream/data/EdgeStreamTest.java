package io.tgstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeStreamTest {

    @Test
    void sortsStablyAndNumbersNodesByFirstAppearanceInTimeOrder() {
        EdgeStream s = EdgeStream.builder("t", "s", 1)
                .add("c", "d", 20, new float[] {3}, 0, 1)
                .add("a", "b", 10, new float[] {1}, 1, -1)
                .add("b", "c", 20, new float[] {4}, 0, 1)
                .add("x", "a", 10, new float[] {2}, 0, 1)
                .build();
        assertThat(s.size()).isEqualTo(4);
        // time order, ties in insertion order: a>b@10, x>a@10, c>d@20, b>c@20
        assertThat(s.timestamp(0)).isEqualTo(10);
        assertThat(s.feature(0, 0)).isEqualTo(1f);
        assertThat(s.feature(1, 0)).isEqualTo(2f);
        assertThat(s.feature(2, 0)).isEqualTo(3f);
        assertThat(s.feature(3, 0)).isEqualTo(4f);
        assertThat(s.label(0)).isEqualTo(1);
        assertThat(s.sign(0)).isEqualTo(-1);
        // nodes: a=0, b=1, x=2, c=3, d=4
        assertThat(List.of(s.nodeId(0), s.nodeId(1), s.nodeId(2), s.nodeId(3), s.nodeId(4)))
                .containsExactly("a", "b", "x", "c", "d");
        assertThat(s.src(1)).isEqualTo(2);
        assertThat(s.dst(1)).isEqualTo(0);
        assertThat(s.nodeKey(3)).isEqualTo(NodeKeys.of("c"));
        assertThat(s.nodeIndexOfKey(NodeKeys.of("d"))).isEqualTo(4);
        assertThat(s.nodeIndexOfKey(NodeKeys.of("zz"))).isEqualTo(-1);
        assertThat(s.firstEventAtOrAfter(11)).isEqualTo(2);
        assertThat(s.firstEventAtOrAfter(21)).isEqualTo(4);
    }

    @Test
    void roundTripsEvents() {
        List<EdgeEvent> events = List.of(
                new EdgeEvent("1", "2", 5, new float[] {0.5f, -1f}, 0, 1),
                new EdgeEvent("2", "3", 7, new float[] {1.5f, 2f}, 1, -1));
        EdgeStream s = EdgeStream.of("r", "s", 2, events);
        assertThat(s.event(0)).isEqualTo(events.get(0));
        assertThat(s.event(1)).isEqualTo(events.get(1));
    }

    @Test
    void headKeepsTheFirstEventsAndOnlyTheirNodes() {
        List<EdgeEvent> events = List.of(
                new EdgeEvent("a", "b", 5, new float[] {0.5f}, 0, 1),
                new EdgeEvent("b", "c", 7, new float[] {1.5f}, 2, -1),
                new EdgeEvent("d", "e", 9, new float[] {2.5f}, 0, 1));
        EdgeStream s = EdgeStream.of("h", "s", 1, events);
        EdgeStream head = s.head(2);
        assertThat(head.size()).isEqualTo(2);
        assertThat(head.nodeCount()).isEqualTo(3);
        assertThat(head.event(0)).isEqualTo(events.get(0));
        assertThat(head.event(1)).isEqualTo(events.get(1));
        assertThat(s.head(3)).isSameAs(s);
    }

    @Test
    void rejectsRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> EdgeStream.builder("t", "s", 2).add("a", "b", 1, new float[] {1}, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2 features");
    }
}
