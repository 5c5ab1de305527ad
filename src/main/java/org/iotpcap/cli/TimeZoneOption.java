package org.iotpcap.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /**
     * A zone region ({@code Europe/Rome}), {@code UTC}, or an offset in whole hours ({@code +02:00}), as
     * {@link ZoneId#of}. DuckDB knows zones by their IANA names only, so an offset becomes the IANA zone of that
     * fixed offset ({@code +02:00} is {@code Etc/GMT-2}, whose sign IANA inverts); an offset with minutes has
     * no such zone and is refused.
     */
    static final class ZoneConverter implements CommandLine.ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            ZoneId zone;
            try {
                zone = ZoneId.of(value.strip());
            } catch (DateTimeException e) {
                throw new CommandLine.TypeConversionException("unknown time zone '" + value
                        + "' (e.g. UTC, Europe/Rome, +02:00)");
            }
            if (!(zone.normalized() instanceof ZoneOffset offset)) {
                return zone;
            }
            int seconds = offset.getTotalSeconds();
            if (seconds == 0) {
                return ZoneId.of("UTC");
            }
            if (seconds % 3600 != 0) {
                throw new CommandLine.TypeConversionException("time zone '" + value + "': an offset with minutes "
                        + "has no IANA zone; give the region (e.g. Asia/Kolkata)");
            }
            int hours = seconds / 3600;
            return ZoneId.of("Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours));
        }
    }
}
