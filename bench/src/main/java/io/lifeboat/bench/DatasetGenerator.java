package io.lifeboat.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes the deterministic file tree that {@code bench/run.sh} backs up, and its second state.
 *
 * <pre>
 * DatasetGenerator generate DIR TOTAL_BYTES SEED   # DIR must not exist or be empty
 * DatasetGenerator mutate DIR SEED                 # changes ~2%, adds ~1%, removes ~1% of files
 * </pre>
 *
 * <p>{@code generate}: about one file per 52 KiB (20k files for 1 GiB): 40% of the bytes
 * log-like text from a fixed vocabulary, 40% random bytes, 20% exact or shifted copies of
 * earlier files (which only deduplicate with content-defined chunking); sizes log-uniform from
 * 64 B to 256 KiB plus a few files of 1 to 16 MiB; nested directories and a few relative
 * symlinks. The same arguments always give the same tree, byte for byte.
 *
 * <p>{@code mutate}: of the regular files in sorted path order, 1% get a few bytes overwritten in
 * place, 1% get data appended, 1% are removed, and new files amounting to 1% of the count are
 * added. Deterministic given the same tree and seed.
 */
public final class DatasetGenerator {

    private static final String[] WORDS = (
        "backup restore snapshot chunk pack index manifest bucket object region replica "
        + "primary standby cluster node pod volume claim secret config map service ingress "
        + "request response latency timeout retry error warning success failure started "
        + "finished committed aborted scheduled pending running completed queued dropped "
        + "user tenant account order invoice payment customer product catalog inventory "
        + "shipment warehouse stock price discount coupon session token cookie header "
        + "query table column row transaction commit rollback checkpoint wal segment "
        + "compaction vacuum analyze insert update delete select join merge partition "
        + "kafka topic offset consumer producer broker leader follower election heartbeat "
        + "alpha beta gamma delta epsilon zeta theta lambda sigma omega").split(" ");
    private static final String[] LEVELS = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"};
    private static final String[] CLASSES = {
        "io.lifeboat.backup.service.BackupRunner", "io.lifeboat.restore.service.RestorePlanner",
        "org.postgresql.core.v3.QueryExecutorImpl", "org.apache.kafka.clients.NetworkClient",
        "software.amazon.awssdk.request", "com.example.shop.OrderService"};

    private static final int SMALL_MIN = 64;
    private static final int SMALL_MAX = 256 * 1024;
    private static final int LARGE_MIN = 1024 * 1024;
    private static final int LARGE_MAX = 16 * 1024 * 1024;

    private DatasetGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        } else if (args.length == 3 && args[0].equals("mutate")) {
            mutate(Path.of(args[1]), Long.parseLong(args[2]));
        } else {
            System.err.println("usage: DatasetGenerator generate DIR TOTAL_BYTES SEED | mutate DIR SEED");
            System.exit(2);
        }
    }

    static void generate(Path root, long totalBytes, long seed) throws IOException {
        Files.createDirectories(root);
        try (Stream<Path> existing = Files.list(root)) {
            if (existing.findAny().isPresent()) {
                throw new IOException("refusing to generate into a non-empty directory: " + root);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> dirs = new ArrayList<>();
        dirs.add(root);
        List<Path> files = new ArrayList<>();
        long originalBudget = totalBytes * 8 / 10;
        long written = 0;
        long text = 0;
        long rand = 0;
        long copies = 0;
        while (written < originalBudget) {
            if (random.nextInt(40) == 0 || dirs.size() < 4) {
                Path parent = dirs.get(random.nextInt(dirs.size()));
                Path dir = parent.resolve(word(random) + "-" + dirs.size());
                if (root.relativize(dir).getNameCount() <= 5) {
                    Files.createDirectories(dir);
                    dirs.add(dir);
                }
            }
            int size = (int) Math.min(fileSize(random), originalBudget - written + SMALL_MIN);
            boolean isText = random.nextBoolean();
            Path file = dirs.get(random.nextInt(dirs.size()))
                .resolve(String.format(Locale.ROOT, "%s-%05d.%s", word(random), files.size(), isText ? "log" : "bin"));
            byte[] content = isText ? textBytes(size, random) : randomBytes(size, random);
            Files.write(file, content);
            files.add(file);
            written += size;
            if (isText) {
                text += size;
            } else {
                rand += size;
            }
        }
        int originals = files.size();
        while (written < totalBytes) {
            Path source = files.get(random.nextInt(originals));
            byte[] content = Files.readAllBytes(source);
            if (content.length > totalBytes - written + LARGE_MIN) {
                continue;
            }
            Path dir = dirs.get(random.nextInt(dirs.size()));
            Path file = dir.resolve(String.format(Locale.ROOT, "copy-%05d-%s", files.size(), source.getFileName()));
            switch (random.nextInt(3)) {
                case 0 -> Files.write(file, content);
                case 1 -> { // shifted right: a short header in front
                    byte[] header = randomBytes(1 + random.nextInt(100), random);
                    try (OutputStream out = Files.newOutputStream(file)) {
                        out.write(header);
                        out.write(content);
                    }
                }
                default -> { // shifted left: the first bytes dropped
                    int drop = Math.min(content.length, 1 + random.nextInt(100));
                    Files.write(file, Arrays.copyOfRange(content, drop, content.length));
                }
            }
            long size = Files.size(file);
            files.add(file);
            written += size;
            copies += size;
        }
        int links = Math.max(3, files.size() / 1000);
        for (int i = 0; i < links; i++) {
            Path target = files.get(random.nextInt(files.size()));
            Path link = dirs.get(random.nextInt(dirs.size())).resolve("link-" + i);
            Files.createSymbolicLink(link, link.getParent().relativize(target));
        }
        System.out.printf(Locale.ROOT,
            "generated %s: %d files (%d copies), %d dirs, %d symlinks, %d bytes (text %d, random %d, copies %d)%n",
            root, files.size(), files.size() - originals, dirs.size(), links, written, text, rand, copies);
    }

    static void mutate(Path root, long seed) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .sorted().toList();
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root)) {
            dirs = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x6D75746174650000L);
        int edited = 0;
        int appended = 0;
        int removed = 0;
        long changedBytes = 0;
        for (Path file : files) {
            int roll = random.nextInt(100);
            if (roll == 0 && Files.size(file) > 0) {
                long size = Files.size(file);
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    int edits = 1 + random.nextInt(4);
                    for (int i = 0; i < edits; i++) {
                        int len = (int) Math.min(size, 1 + random.nextInt(64));
                        raf.seek(random.nextLong(size - len + 1));
                        raf.write(randomBytes(len, random));
                        changedBytes += len;
                    }
                }
                edited++;
            } else if (roll == 1) {
                boolean isText = file.getFileName().toString().endsWith(".log");
                int len = 1 + random.nextInt(64 * 1024);
                Files.write(file, isText ? textBytes(len, random) : randomBytes(len, random),
                    StandardOpenOption.APPEND);
                changedBytes += len;
                appended++;
            } else if (roll == 2) {
                Files.delete(file);
                removed++;
            }
        }
        int added = Math.max(1, files.size() / 100);
        long addedBytes = 0;
        for (int i = 0; i < added; i++) {
            int size = fileSize(random);
            boolean isText = random.nextBoolean();
            Path file = dirs.get(random.nextInt(dirs.size()))
                .resolve(String.format(Locale.ROOT, "new-%05d.%s", i, isText ? "log" : "bin"));
            Files.write(file, isText ? textBytes(size, random) : randomBytes(size, random));
            addedBytes += size;
        }
        System.out.printf(Locale.ROOT,
            "mutated %s: %d edited in place, %d appended (%d bytes changed), %d removed, %d added (%d bytes)%n",
            root, edited, appended, changedBytes, removed, added, addedBytes);
    }

    /** Log-uniform small files, and one in 200 a large one (about half of all bytes). */
    private static int fileSize(SplittableRandom random) {
        if (random.nextInt(200) == 0) {
            return logUniform(random, LARGE_MIN, LARGE_MAX);
        }
        return logUniform(random, SMALL_MIN, SMALL_MAX);
    }

    private static int logUniform(SplittableRandom random, int min, int max) {
        return (int) Math.round(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
    }

    private static byte[] randomBytes(int size, SplittableRandom random) {
        byte[] out = new byte[size];
        random.nextBytes(out);
        return out;
    }

    private static byte[] textBytes(int size, SplittableRandom random) {
        StringBuilder text = new StringBuilder(size + 200);
        while (text.length() < size) {
            appendLogLine(text, random);
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One log-like line: timestamp, level, thread, logger, a few words and key=value pairs. */
    static void appendLogLine(StringBuilder out, SplittableRandom random) {
        out.append(String.format(Locale.ROOT, "2026-%02d-%02dT%02d:%02d:%02d.%03dZ ", 1 + random.nextInt(12),
            1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000)));
        out.append(LEVELS[random.nextInt(LEVELS.length)]).append(" [worker-").append(random.nextInt(16)).append("] ");
        out.append(CLASSES[random.nextInt(CLASSES.length)]).append(" -");
        int words = 3 + random.nextInt(10);
        for (int i = 0; i < words; i++) {
            out.append(' ').append(word(random));
        }
        out.append(" id=").append(random.nextInt(1_000_000)).append(" took=").append(random.nextInt(5000)).append("ms\n");
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
