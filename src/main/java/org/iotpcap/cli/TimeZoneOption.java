package org.iotpcap.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --tz ZONE}: where TIMESTAMPTZ values are shown, and how times without an offset are read. */
final class TimeZoneOption {
    @Option(names = "--tz", paramLabel = "ZONE", defaultValue = "UTC", converter = ZoneConverter.class,
            description = "time zone for TIMESTAMPTZ values and for --from/--to without an offset (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    ZoneId zone() {
        return zone;
    }

    /** A zone region ({@code Europe/Rome}), {@code UTC} or an offset ({@code +02:00}), as {@link ZoneId#of}. */
    static final class ZoneConverter implements CommandLine.ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value.strip());
            } catch (DateTimeException e) {
                throw new CommandLine.TypeConversionException("unknown time zone '" + value
                        + "' (e.g. UTC, Europe/Rome, +02:00)");
            }
        }
    }
}
