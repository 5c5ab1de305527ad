package org.iotpcap.dissect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The MQTT packages depend only downward, as the compiled classes say (jdeps, from the JDK, reads the
 * bytecode, so Javadoc links do not count): {@code dissect.mqtt} (version-neutral values and rules) &lt;-
 * {@code internal} (the packet reader) &lt;- {@code v311}, {@code v5} (the version decoders) &lt;- {@code decode}
 * (the dispatcher and the stream framer).
 */
class MqttPackagesTest {
    private static final String ROOT = "org.iotpcap.dissect.mqtt";

    @Test
    void packageDependenciesAreAcyclicAndPointDown() throws Exception {
        Map<String, Set<String>> deps = dependencies();
        // the graph was read: the dispatcher uses both version decoders, they use the reader
        assertThat(deps.get(ROOT + ".decode")).contains(ROOT + ".v311", ROOT + ".v5", ROOT);
        assertThat(deps.get(ROOT + ".v5")).contains(ROOT + ".internal", ROOT);

        assertThat(deps.getOrDefault(ROOT, Set.of())).as("the version-neutral package depends on no MQTT package")
                .isEmpty();
        assertThat(deps.get(ROOT + ".internal")).containsOnly(ROOT);
        assertThat(deps.get(ROOT + ".v311")).as("v311 needs only the neutral types and the reader")
                .containsOnly(ROOT, ROOT + ".internal");
        assertThat(deps.get(ROOT + ".v5")).as("v5 needs only the neutral types and the reader")
                .containsOnly(ROOT, ROOT + ".internal");
        assertThat(cycle(deps)).as("a package cycle").isEmpty();
    }

    /** Package to the MQTT packages it uses, from {@code jdeps -verbose:package} on the compiled classes. */
    private static Map<String, Set<String>> dependencies() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("jdeps not found: the tests need a JDK"));
        Path classes = Path.of(MqttFixedHeader.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(ROOT.replace('.', '/'));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package",
                "-e", ROOT.replace(".", "\\.") + "(\\..*)?", classes.toString());
        assertThat(rc).as("jdeps: %s", err).isZero();
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && isMqtt(f[0]) && isMqtt(f[2]) && !f[0].equals(f[2])) {
                deps.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        return deps;
    }

    private static boolean isMqtt(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    /** A cycle as a path of packages, or an empty set when there is none. */
    private static Set<String> cycle(Map<String, Set<String>> deps) {
        Set<String> done = new HashSet<>();
        for (String start : deps.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            Set<String> found = visit(start, deps, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return Set.of();
    }

    private static Set<String> visit(String pkg, Map<String, Set<String>> deps, Deque<String> path, Set<String> done) {
        if (path.contains(pkg)) {
            Set<String> c = new TreeSet<>(path);
            c.add(pkg);
            return c;
        }
        if (!done.add(pkg)) {
            return Set.of();
        }
        path.push(pkg);
        for (String next : deps.getOrDefault(pkg, Set.of())) {
            Set<String> c = visit(next, deps, path, done);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.pop();
        return Set.of();
    }
}
