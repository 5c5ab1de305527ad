import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Runs one iotpcap command several times in one JVM and prints, per pass, its wall time and the CPU time of the
 * thread that ran it: the first pass is what a command costs cold (class loading, interpreter, JIT compilers
 * busy), the later ones what it costs once the code is compiled. Output of the command is discarded.
 *
 * <pre>
 *   java --add-opens=java.base/java.nio=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *        -cp "target/iotpcap.jar:target/lib/*" bench/Passes.java 7 run all /tmp/big.pcapng
 * </pre>
 */
public class Passes {
    public static void main(String[] a) {
        if (a.length < 2) {
            System.err.println("usage: Passes PASSES COMMAND [ARGS...]");
            System.exit(2);
        }
        int passes = Integer.parseInt(a[0]);
        String[] args = Arrays.copyOfRange(a, 1, a.length);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            PrintWriter out = new PrintWriter(new OutputStreamWriter(OutputStream.nullOutputStream()));
            int rc = org.iotpcap.cli.Main.execute(args, out, new PrintWriter(System.err, true));
            out.flush();
            System.err.printf("pass %d exit %d wall %.2f s, thread CPU %.2f s%n", i + 1, rc,
                    (System.nanoTime() - t0) / 1e9, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
        }
    }
}
