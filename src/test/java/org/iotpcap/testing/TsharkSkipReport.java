package org.iotpcap.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a test run how many conformance tests were skipped for want of tshark, so a green run
 * without tshark cannot be mistaken for a full one: {@code N conformance tests skipped: tshark not found}.
 * It counts the tests (and classes, when a {@code @BeforeAll} skips a whole class) aborted by an assumption
 * whose message carries {@link Tshark#NOT_FOUND}. Registered for the JUnit Platform launcher in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class TsharkSkipReport implements TestExecutionListener {
    private final AtomicInteger tests = new AtomicInteger();
    private final AtomicInteger classes = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
            return;
        }
        String message = result.getThrowable().map(Throwable::getMessage).orElse("");
        if (message != null && message.contains(Tshark.NOT_FOUND)) {
            (id.isContainer() ? classes : tests).incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (tests.get() > 0 || classes.get() > 0) {
            System.out.println(tests.get() + " conformance tests skipped: " + Tshark.NOT_FOUND
                    + (classes.get() == 0 ? "" : " (and " + classes.get() + " whole test "
                    + (classes.get() == 1 ? "class" : "classes") + ")"));
        }
    }
}
