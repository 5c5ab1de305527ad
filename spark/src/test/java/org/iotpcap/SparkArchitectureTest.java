package org.iotpcap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link ArchitectureTest}'s rules over the core's classes and the spark module's together: {@code spark} is the
 * top layer (it may use every core package, none may use it) and free of cycles with them.
 */
class SparkArchitectureTest extends ArchitectureTest {
    @Test
    void the_spark_classes_are_among_those_checked() {
        assertThat(classes.contain(org.iotpcap.spark.IotpcapSource.class)).isTrue();
        assertThat(classes.contain(org.iotpcap.cli.RunCommand.class)).isTrue();
    }
}
