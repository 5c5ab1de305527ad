package org.iotpcap.dissect.coap;

/** Option value formats (RFC 7252 section 3.2); UNKNOWN for options not in {@link CoapOptions}. */
public enum CoapOptionFormat {
    EMPTY, OPAQUE, UINT, STRING, UNKNOWN
}
