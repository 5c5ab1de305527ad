package org.iotpcap.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a command line for a child JVM that runs iotpcap as a person would: this JDK's {@code java} with
 * the module flags the test JVM itself was started with (the surefire {@code argLine} in pom.xml, the one list of
 * them for tests: native access for DuckDB, java.nio opened for Arrow), then the test class path.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code java FLAGS... [jvmOptions...] -cp CLASSPATH}; the caller adds the main class and its arguments. */
    public static List<String> command(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc-unsafe-memory-access")) {
                cmd.add(a);
            }
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
