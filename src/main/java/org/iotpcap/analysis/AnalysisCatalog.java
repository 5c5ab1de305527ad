package org.iotpcap.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The analyses shipped as resources (listed in {@code index.txt}), plus the user's from {@code --analyses DIR}. */
public final class AnalysisCatalog {
    private final Map<String, Analysis> byName = new LinkedHashMap<>();

    private AnalysisCatalog() {}

    public static AnalysisCatalog builtIn() {
        AnalysisCatalog c = new AnalysisCatalog();
        for (String file : resource("index.txt").split("\n")) {
            if (!file.isBlank() && !file.startsWith("#")) {
                c.add(Analysis.parse(resource(file.strip()), "built-in " + file.strip()));
            }
        }
        return c;
    }

    /** Adds every {@code *.sql} file of a directory; a name already known is replaced (the user's wins). */
    public AnalysisCatalog withDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a directory of analyses");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                add(Analysis.parse(Files.readString(p), p.toString()));
            }
        }
        return this;
    }

    private void add(Analysis a) {
        byName.put(a.name(), a);
    }

    public Analysis get(String name) {
        return byName.get(name);
    }

    public Collection<Analysis> all() {
        return byName.values();
    }

    /** The known name closest to {@code name} (edit distance), for "did you mean". */
    public String closest(String name) {
        return closest(name, byName.keySet());
    }

    /** The candidate closest to {@code name} by Levenshtein distance (the first of equals), or null when none. */
    public static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : candidates) {
            int d = distance(name, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = n;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String resource(String name) {
        try (InputStream in = AnalysisCatalog.class.getResourceAsStream("/org/iotpcap/analyses/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing analysis resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }
}
