package org.iotpcap.fuzz;

import org.iotpcap.bytes.Limits;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttSink;
import org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder;

/**
 * {@link MqttStreamDecoder} in isolation, fed both directions of one connection in chunks the fuzzer chooses,
 * with gaps, then closed. Fails on an escaping exception, on a message or problem offset outside the bytes fed
 * to its direction, on a message whose frames or lengths disagree with what was fed, on password bytes kept
 * without {@code keepSecrets}, and on allocation beyond a budget proportional to the bytes fed.
 *
 * <p>Input layout ({@link FuzzInput}): one byte of settings (bit 0 keep secrets, bit 1 small limits), then
 * steps until the input ends: a byte choosing the direction (bit 0, 1 = client) and a gap (bits 1-3 all set),
 * then for a gap its size (4 bytes, times 1 + bits 4-7), else a chunk length (1 byte) and that many bytes.
 */
class MqttStreamFuzzTest {

    /** One step: bytes of a direction, or a gap in it. */
    private record Step(boolean fromClient, byte[] chunk, long gap) {}

    @FuzzTest(maxDuration = "10s")
    void feed(byte[] data) throws Exception {
        FuzzInput in = new FuzzInput(data);
        int settings = in.u8();
        boolean keepSecrets = (settings & 1) != 0;
        Limits.Mqtt limits = (settings & 2) != 0 ? new Limits.Mqtt(64, 2, 2, 2) : Limits.Mqtt.DEFAULTS;
        java.util.List<Step> steps = new java.util.ArrayList<>();
        long total = 0;
        while (in.remaining() > 0) {
            int cmd = in.u8();
            boolean fromClient = (cmd & 1) != 0;
            if ((cmd & 0x0e) == 0x0e) {
                steps.add(new Step(fromClient, null, 1 + in.u32() * (1 + (cmd >>> 4))));
            } else {
                byte[] chunk = in.bytes(in.u8());
                steps.add(new Step(fromClient, chunk, 0));
                total += chunk.length;
            }
        }
        // every packet is copied once into its own array; records and strings of it a small multiple more
        FuzzChecks.withinBudget(512L * 1024 + 80L * total + 2048L * steps.size(), "MqttStreamDecoder",
                () -> run(steps, limits, keepSecrets));
    }

    private static void run(java.util.List<Step> steps, Limits.Mqtt limits, boolean keepSecrets) {
        long[] fed = new long[2];
        Sink sink = new Sink(fed, keepSecrets);
        MqttStreamDecoder d = new MqttStreamDecoder(sink, limits, keepSecrets);
        long frame = 0;
        for (Step s : steps) {
            frame++;
            int dir = s.fromClient() ? 0 : 1;
            if (s.chunk() == null) {
                fed[dir] += s.gap();
                d.gap(s.fromClient(), s.gap(), frame);
                continue;
            }
            // place the chunk inside a bigger array, as the TCP reassembler hands out slices of a frame
            byte[] b = new byte[s.chunk().length + 7];
            System.arraycopy(s.chunk(), 0, b, 3, s.chunk().length);
            fed[dir] += s.chunk().length;
            d.feed(s.fromClient(), b, 3, s.chunk().length, frame, frame * 1000);
        }
        d.close();
        FuzzChecks.check(d.messages() == sink.messages, "messages() " + d.messages() + " but sink saw " + sink.messages);
    }

    private static final class Sink implements MqttSink {
        private final long[] fed;
        private final boolean keepSecrets;
        long messages;

        Sink(long[] fed, boolean keepSecrets) {
            this.fed = fed;
            this.keepSecrets = keepSecrets;
        }

        @Override
        public void onMessage(MqttFramed m) {
            messages++;
            long dirBytes = fed[m.fromClient() ? 0 : 1];
            FuzzChecks.check(m.message() != null, "message null");
            FuzzChecks.check(m.streamOffset() >= 0 && m.streamOffset() + m.totalLength() <= dirBytes,
                    "packet at " + m.streamOffset() + "+" + m.totalLength() + " beyond the " + dirBytes + " bytes fed");
            FuzzChecks.check(m.totalLength() >= 2 && m.remainingLength() >= 0
                    && m.remainingLength() < m.totalLength(), "lengths " + m);
            FuzzChecks.check(m.startFrame() <= m.endFrame() && m.startFrame() >= 1, "frames " + m);
            if (m.message() instanceof MqttMessage.Connect c) {
                FuzzChecks.check(keepSecrets || c.password() == null, "password kept without keepSecrets");
                FuzzChecks.check(!c.passwordPresent() || c.passwordLength() >= 0, "password length");
            }
            FuzzChecks.check(m.message().toString() != null, "toString");
        }

        @Override
        public void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail) {
            long dirBytes = fed[fromClient ? 0 : 1];
            FuzzChecks.check(reason != null && detail != null, "malformed without reason or detail");
            FuzzChecks.check(offset >= 0 && offset <= dirBytes, reason + " at offset " + offset + " beyond the "
                    + dirBytes + " bytes fed: " + detail);
        }
    }
}
