package org.iotpcap.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.iotpcap.capture.CaptureFiles;
import org.iotpcap.capture.Captures;

/**
 * Capture files on Hadoop's file systems (HDFS, S3A, the local one): the arguments of {@code load(...)} expanded
 * as the CLI expands its own (a file as given; a directory: every *.pcap, *.pcapng, *.cap and *.gz file under
 * it, sorted; a glob: its matches, sorted), each named as the CLI names it, which is what the {@code capture}
 * column holds.
 */
final class HadoopCaptures {
    private HadoopCaptures() {}

    /**
     * A capture: its name (the {@code capture} column), the fully qualified path it is read from, and its length
     * and modification time when it was listed (so that counts cached for it are not taken for a file that changed
     * since: {@link CaptureCounts}).
     */
    record File(String name, String uri, long length, long modified) implements java.io.Serializable {
        File(String name, FileStatus status) {
            this(name, status.getPath().toString(), status.getLen(), status.getModificationTime());
        }
    }

    static List<File> expand(List<String> args, Configuration conf) {
        List<File> out = new ArrayList<>();
        try {
            for (String a : args) {
                Path p = new Path(a);
                FileSystem fs = p.getFileSystem(conf);
                if (isGlob(a)) {
                    FileStatus[] found = fs.globStatus(p);
                    if (found == null || found.length == 0) {
                        throw new IllegalArgumentException(a + ": no file matches");
                    }
                    String prefix = a.substring(0, a.substring(0, firstGlob(a)).lastIndexOf('/') + 1);
                    Path base = fs.makeQualified(new Path(prefix.isEmpty() ? "." : prefix));
                    List<File> matched = new ArrayList<>();
                    for (FileStatus s : found) {
                        if (s.isFile()) {
                            matched.add(new File(prefix + relative(base, s.getPath()), s));
                        }
                    }
                    matched.sort(java.util.Comparator.comparing(File::name));
                    out.addAll(matched);
                    continue;
                }
                FileStatus status = fs.getFileStatus(p);
                if (status.isDirectory()) {
                    Path base = fs.makeQualified(p);
                    List<File> found = new ArrayList<>();
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
                    while (it.hasNext()) {
                        LocatedFileStatus entry = it.next();
                        Path f = entry.getPath();
                        String lower = f.getName().toLowerCase(java.util.Locale.ROOT);
                        if (Captures.FILE_ENDINGS.stream().anyMatch(lower::endsWith)) {
                            String dir = a.endsWith("/") ? a : a + "/";
                            found.add(new File(dir + relative(base, f), entry));
                        }
                    }
                    if (found.isEmpty()) {
                        throw new IllegalArgumentException(a + ": directory holds no *.pcap, *.pcapng, *.cap or *.gz file");
                    }
                    found.sort(java.util.Comparator.comparing(File::name));
                    out.addAll(found);
                } else {
                    out.add(new File(a, fs.makeQualified(p).toString(), status.getLen(), status.getModificationTime()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return out;
    }

    private static String relative(Path base, Path file) {
        String b = base.toUri().getPath();
        String f = file.toUri().getPath();
        return f.startsWith(b + "/") ? f.substring(b.length() + 1) : f;
    }

    private static boolean isGlob(String a) {
        return firstGlob(a) < a.length();
    }

    private static int firstGlob(String a) {
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return a.length();
    }

    /** A small text file (a key log) through Hadoop, as the CLI reads it (ISO-8859-1: any byte is a character). */
    static String readText(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        try (java.io.InputStream in = p.getFileSystem(conf).open(p)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** The entries of a Hadoop configuration, to ship to the executors. */
    static Map<String, String> entries(Configuration conf) {
        Map<String, String> out = new java.util.HashMap<>();
        conf.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Opens the names of {@code files} through Hadoop, with the driver's Hadoop configuration. */
    static CaptureFiles opener(List<File> files, Map<String, String> conf) {
        Configuration c = new Configuration(false);
        conf.forEach(c::set);
        return name -> {
            for (File f : files) {
                if (f.name().equals(name)) {
                    Path p = new Path(f.uri());
                    return p.getFileSystem(c).open(p);
                }
            }
            throw new java.nio.file.NoSuchFileException(name);
        };
    }
}
