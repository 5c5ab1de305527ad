package org.iotpcap.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Flows by {@link FlowKey}, in order of last use: what an access-ordered {@code LinkedHashMap<FlowKey, V>} does
 * for the connection and flow tables, in flat arrays. A lookup reads the probed slots' key fields from one
 * {@code long[]} (five longs per slot, side by side) instead of following a map node to a key object, and no key
 * object is kept: a probe key is looked up and its fields copied in on insertion.
 *
 * <p>Open addressing with linear probing, at most half full; removal shifts the entries after it back (no
 * tombstones). The use order is a doubly linked list through the slots ({@code prev}, {@code next}); an entry
 * found, or put, becomes the most recently used, as in an access-ordered map. {@link #eldest()} is the least
 * recently used. Not thread-safe.
 *
 * <p>Memory: 52 bytes of arrays per slot, and a quarter to a half of the slots in use, so 104 to 208 bytes per
 * entry beside its value, where a map entry, its key copy and its table slot took about 130; but no object per
 * entry for the collector to trace (the 1 GB benchmark capture's {@code info}: 850 to 700 MB peak RSS).
 */
public final class FlowTable<V> {
    private static final int NONE = -1;
    private static final int KEY_LONGS = 5;

    /** Per slot: aHi, aLo, bHi, bLo, then aPort << 32 | bPort << 8 | protocol. */
    private long[] keys;
    private Object[] values;
    private int[] prev;
    private int[] next;
    private int mask;
    private int size;
    private int head = NONE;
    private int tail = NONE;

    public FlowTable() {
        this(1024);
    }

    /** @param expected entries expected (the table grows past it) */
    public FlowTable(int expected) {
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) * 2));
    }

    private void allocate(int slots) {
        keys = new long[slots * KEY_LONGS];
        values = new Object[slots];
        prev = new int[slots];
        next = new int[slots];
        mask = slots - 1;
    }

    public int size() {
        return size;
    }

    /** The value of {@code k}, which becomes the most recently used; null when absent. */
    @SuppressWarnings("unchecked")
    public V get(FlowKey k) {
        int s = find(k);
        if (s == NONE) {
            return null;
        }
        touch(s);
        return (V) values[s];
    }

    /** Puts {@code v} under (a copy of) {@code k}, most recently used; returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    public V put(FlowKey k, V v) {
        if (v == null) {
            throw new IllegalArgumentException("null value");
        }
        int s = find(k);
        if (s != NONE) {
            V old = (V) values[s];
            values[s] = v;
            touch(s);
            return old;
        }
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        long last = last(k);
        s = slot(k, last);
        while (values[s] != null) {
            s = (s + 1) & mask;
        }
        int at = s * KEY_LONGS;
        keys[at] = k.aHi;
        keys[at + 1] = k.aLo;
        keys[at + 2] = k.bHi;
        keys[at + 3] = k.bLo;
        keys[at + 4] = last;
        values[s] = v;
        link(s);
        size++;
        return null;
    }

    /** Removes {@code k}; returns its value, or null when absent. */
    @SuppressWarnings("unchecked")
    public V remove(FlowKey k) {
        int s = find(k);
        if (s == NONE) {
            return null;
        }
        V old = (V) values[s];
        delete(s);
        return old;
    }

    /** The least recently used value, or null when empty. */
    @SuppressWarnings("unchecked")
    public V eldest() {
        return head == NONE ? null : (V) values[head];
    }

    /** Removes and returns the least recently used value, or null when empty. */
    public V removeEldest() {
        V v = eldest();
        if (v != null) {
            delete(head);
        }
        return v;
    }

    /** The values from the least to the most recently used. */
    @SuppressWarnings("unchecked")
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (int s = head; s != NONE; s = next[s]) {
            out.add((V) values[s]);
        }
        return out;
    }

    public void clear() {
        java.util.Arrays.fill(values, null);
        size = 0;
        head = NONE;
        tail = NONE;
    }

    // ---- slots ----

    private static long last(FlowKey k) {
        return (long) k.aPort << 32 | (long) k.bPort << 8 | (k.protocol & 0xff); // ports are 16 bits
    }

    private int slot(FlowKey k, long last) {
        return (int) mix(k.aHi, k.aLo, k.bHi, k.bLo, last) & mask;
    }

    private int slotFor(long[] k, int at) {
        return (int) mix(k[at], k[at + 1], k[at + 2], k[at + 3], k[at + 4]) & mask;
    }

    /** The five key longs mixed (then the murmur3 finaliser), so that every key bit reaches the bits kept. */
    private static long mix(long a, long b, long c, long d, long e) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h = h * 0x9E3779B97F4A7C15L + c;
        h = h * 0x9E3779B97F4A7C15L + d;
        h = h * 0x9E3779B97F4A7C15L + e;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private int find(FlowKey k) {
        long last = last(k);
        for (int s = slot(k, last); values[s] != null; s = (s + 1) & mask) {
            int at = s * KEY_LONGS;
            if (keys[at + 1] == k.aLo && keys[at + 3] == k.bLo && keys[at + 4] == last && keys[at] == k.aHi
                    && keys[at + 2] == k.bHi) {
                return s;
            }
        }
        return NONE;
    }

    /** Empties slot {@code s} and shifts back the entries of its probe run that can move (no tombstones). */
    private void delete(int s) {
        unlink(s);
        values[s] = null;
        size--;
        int hole = s;
        for (int i = (s + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int home = slotFor(keys, i * KEY_LONGS);
            // i may move to the hole when its home is not in the cyclic range (hole, i]
            boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!stays) {
                move(i, hole);
                hole = i;
            }
        }
    }

    /** Moves the entry in {@code from} to the empty slot {@code to}, keeping its place in the use order. */
    private void move(int from, int to) {
        System.arraycopy(keys, from * KEY_LONGS, keys, to * KEY_LONGS, KEY_LONGS);
        values[to] = values[from];
        values[from] = null;
        int p = prev[from];
        int n = next[from];
        prev[to] = p;
        next[to] = n;
        if (p == NONE) {
            head = to;
        } else {
            next[p] = to;
        }
        if (n == NONE) {
            tail = to;
        } else {
            prev[n] = to;
        }
    }

    /**
     * Doubles the table. The old slots are read in array order (not in use order, which jumps about memory): each
     * entry is placed, then the use order is carried over through the map from old slots to new.
     */
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        int[] oldPrev = prev;
        int[] oldNext = next;
        int oldHead = head;
        int oldTail = tail;
        int[] moved = new int[oldValues.length];
        allocate(oldValues.length * 2);
        for (int o = 0; o < oldValues.length; o++) {
            if (oldValues[o] == null) {
                continue;
            }
            int at = o * KEY_LONGS;
            int s = slotFor(oldKeys, at);
            while (values[s] != null) {
                s = (s + 1) & mask;
            }
            System.arraycopy(oldKeys, at, keys, s * KEY_LONGS, KEY_LONGS);
            values[s] = oldValues[o];
            moved[o] = s;
        }
        for (int o = 0; o < oldValues.length; o++) {
            if (oldValues[o] != null) {
                int s = moved[o];
                prev[s] = oldPrev[o] == NONE ? NONE : moved[oldPrev[o]];
                next[s] = oldNext[o] == NONE ? NONE : moved[oldNext[o]];
            }
        }
        head = oldHead == NONE ? NONE : moved[oldHead];
        tail = oldTail == NONE ? NONE : moved[oldTail];
    }

    // ---- use order ----

    private void touch(int s) {
        if (s != tail) {
            unlink(s);
            link(s);
        }
    }

    private void link(int s) {
        prev[s] = tail;
        next[s] = NONE;
        if (tail == NONE) {
            head = s;
        } else {
            next[tail] = s;
        }
        tail = s;
    }

    private void unlink(int s) {
        int p = prev[s];
        int n = next[s];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
    }
}
