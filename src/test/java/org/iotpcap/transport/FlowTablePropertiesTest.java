package org.iotpcap.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link FlowTable} does what an access-ordered {@code LinkedHashMap<FlowKey, V>} (the table it replaced) does:
 * the same answers to every get, put and remove, the same eldest entry, the same use order, through growth and
 * removals that shift probe runs back.
 */
class FlowTablePropertiesTest {
    enum Kind { GET, PUT, REMOVE, REMOVE_ELDEST, CLEAR }

    record Op(Kind kind, int key, int value) {}

    @Property(tries = 300)
    void behavesAsAnAccessOrderedLinkedHashMap(@ForAll("ops") List<Op> ops) {
        check(ops);
    }

    /** Few keys in the smallest table: probe runs often wrap around its end, where removal must shift back too. */
    @Property(tries = 1000)
    void behavesAsAnAccessOrderedLinkedHashMap_inASmallTable(@ForAll("fewKeyOps") List<Op> ops) {
        check(ops);
    }

    private static void check(List<Op> ops) {
        FlowTable<Integer> table = new FlowTable<>(4);
        LinkedHashMap<FlowKey, Integer> model = new LinkedHashMap<>(16, 0.75f, true);
        for (Op op : ops) {
            FlowKey k = key(op.key());
            switch (op.kind()) {
                case GET -> assertThat(table.get(k)).as("get %s", op).isEqualTo(model.get(k));
                case PUT -> assertThat(table.put(k, op.value())).as("put %s", op).isEqualTo(model.put(k.copy(), op.value()));
                case REMOVE -> assertThat(table.remove(k)).as("remove %s", op).isEqualTo(model.remove(k));
                case REMOVE_ELDEST -> {
                    Iterator<Map.Entry<FlowKey, Integer>> it = model.entrySet().iterator();
                    Integer eldest = null;
                    if (it.hasNext()) {
                        eldest = it.next().getValue();
                        it.remove();
                    }
                    assertThat(table.removeEldest()).as("removeEldest").isEqualTo(eldest);
                }
                case CLEAR -> {
                    table.clear();
                    model.clear();
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        assertThat(table.values()).containsExactlyElementsOf(new ArrayList<>(model.values()));
        for (Map.Entry<FlowKey, Integer> e : new ArrayList<>(model.entrySet())) {
            assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    /** Keys from a small space (so that keys repeat) spread over addresses, ports and protocols. */
    private static FlowKey key(int n) {
        FlowKey k = new FlowKey();
        long a = 0x0000_ffff_7f00_0000L | (n % 7);
        long b = 0x0000_ffff_c0a8_0000L | (n % 5);
        k.set(n % 2 == 0 ? 6 : 17, 0, a, 1024 + n, n % 3 == 0 ? 0x2001_0db8_0000_0000L : 0, b, 1883 + (n % 4));
        return k;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return ops(300);
    }

    @Provide
    Arbitrary<List<Op>> fewKeyOps() {
        return ops(12);
    }

    private static Arbitrary<List<Op>> ops(int keys) {
        Arbitrary<Kind> kinds = Arbitraries.frequency(Tuple.of(30, Kind.GET), Tuple.of(40, Kind.PUT),
                Tuple.of(20, Kind.REMOVE), Tuple.of(8, Kind.REMOVE_ELDEST), Tuple.of(1, Kind.CLEAR));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, keys),
                Arbitraries.integers().between(0, 1_000_000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(2000);
    }
}
