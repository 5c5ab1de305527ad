package org.iotpcap.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** {@code --tz ZONE}: where TIMESTAMPTZ values are shown, and how times without an offset are read. */
final class TimeZoneOption {
    @Option(names = "--tz", paramLabel = "ZONE", defaultValue = "UTC",
            description = "time zone for TIMESTAMPTZ values and for --from/--to without an offset (default: ${DEFAULT-VALUE})")
    String tz;

    ZoneId zone() {
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new UsageException("unknown time zone '" + tz + "' (e.g. UTC, Europe/Rome, +02:00)");
        }
    }
}
