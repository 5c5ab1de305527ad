package org.iotpcap.cli;

/** A bad argument found after parsing (e.g. a bad --decode value); exits with {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
