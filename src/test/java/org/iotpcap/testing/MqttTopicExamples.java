package org.iotpcap.testing;

import java.util.List;

/**
 * Topic filters and topic names with whether they match, written from the text of MQTT 3.1.1 sections 4.7.1 and
 * 4.7.2 (the same in 5.0 4.7), plus 4.7.1.2's rule that {@code #} must be the last level and 4.7.3's that a topic
 * name is at least one character long. The oracle for every matcher: the model's, the SQL macro and the tests' own.
 */
public final class MqttTopicExamples {
    private MqttTopicExamples() {}

    /** One example: a filter, a topic, whether the filter matches the topic. */
    public record Example(String filter, String topic, boolean matches) {}

    public static final List<Example> ALL = List.of(
            new Example("sport/tennis/player1/#", "sport/tennis/player1", true),
            new Example("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
            new Example("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
            new Example("sport/#", "sport", true),
            new Example("#", "sport/tennis", true),
            new Example("sport/tennis/+", "sport/tennis/player1", true),
            new Example("sport/tennis/+", "sport/tennis/player1/ranking", false),
            new Example("sport/+", "sport", false),
            new Example("sport/+", "sport/", true),
            new Example("+/+", "/finance", true),
            new Example("/+", "/finance", true),
            new Example("+", "/finance", false),
            new Example("#", "$SYS/monitor/Clients", false),
            new Example("+/monitor/Clients", "$SYS/monitor/Clients", false),
            new Example("$SYS/#", "$SYS/monitor/Clients", true),
            new Example("$SYS/monitor/+", "$SYS/monitor/Clients", true),
            new Example("sport/tennis/#/ranking", "sport/tennis/player1/ranking", false),
            new Example("#", "", false));
}
