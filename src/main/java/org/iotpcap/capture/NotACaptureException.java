package org.iotpcap.capture;

import java.io.IOException;

/** The input is not a capture iotpcap can read; the message says what it looks like. */
public final class NotACaptureException extends IOException {
    public NotACaptureException(String message) {
        super(message);
    }
}
