package io.lifeboat.common.store.local;

import io.lifeboat.common.store.ObjectInfo;
import io.lifeboat.common.store.ObjectNotFoundException;
import io.lifeboat.common.store.ObjectStore;
import io.lifeboat.common.store.PutOptions;
import io.lifeboat.common.store.StoreException;
import io.lifeboat.common.store.TransientStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An object store in a local directory: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p>Writes go to a temporary file in the target directory ({@code .tmp-} prefix, never listed),
 * are forced to disk, then renamed over the target, so readers never see a partial object and a
 * crash leaves either the old object or the new one. Keys that are absolute, empty, contain
 * {@code .}/{@code ..} segments, backslashes or NUL are refused, so no key escapes the root.
 *
 * <p>Threading: safe for concurrent use; concurrent puts of one key leave one whole object.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".tmp-";
    /** Largest single read or write: see {@link #readFully}. */
    private static final int IO_SLICE = 1 << 20;

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StoreException("cannot create repository directory " + this.root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, byte[] data, PutOptions options) {
        if (options.retention() != null) {
            // A directory cannot enforce a retain-until date: refuse rather than pretend.
            throw new io.lifeboat.common.store.UnsupportedStoreOperationException(describe() + " does not support Object Lock retention");
        }
        Path target = resolve(key);
        Path dir = target.getParent();
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    buf.limit(Math.min(data.length, buf.position() + IO_SLICE));
                    ch.write(buf);
                    buf.limit(data.length);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("write", key, e);
        }
    }

    @Override
    public byte[] get(String key) {
        try (FileChannel ch = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new StoreException("object " + key + " is too large to read into memory (" + size + " bytes)");
            }
            byte[] data = new byte[(int) size];
            int n = readFully(ch, data, 0);
            if (n < data.length) {
                throw new StoreException("object " + key + " shrank while being read");
            }
            if (ch.size() != size) {
                throw new StoreException("object " + key + " changed size while being read");
            }
            return data;
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new StoreException("invalid range " + offset + "+" + length + " of " + key);
        }
        try (FileChannel ch = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset + length > size) {
                throw new StoreException("range " + offset + "+" + length + " runs past the end of " + key + " (" + size + " bytes)");
            }
            byte[] data = new byte[length];
            if (readFully(ch, data, offset) < length) {
                throw new StoreException("object " + key + " shrank while being read");
            }
            return data;
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public void getRangeInto(String key, long offset, int length, byte[] dst, int dstOff) {
        if (offset < 0 || length < 0) {
            throw new StoreException("invalid range " + offset + "+" + length + " of " + key);
        }
        java.util.Objects.checkFromIndexSize(dstOff, length, dst.length);
        try (FileChannel ch = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset + length > size) {
                throw new StoreException("range " + offset + "+" + length + " runs past the end of " + key + " (" + size + " bytes)");
            }
            if (readFully(ch, ByteBuffer.wrap(dst, dstOff, length), offset) < length) {
                throw new StoreException("object " + key + " shrank while being read");
            }
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    /**
     * Reads into {@code data} from {@code position} until it is full or the file ends; returns
     * the bytes read. Each call moves at most {@link #IO_SLICE} bytes: the JDK copies heap
     * buffers through a temporary native buffer as large as the request, and large ones are
     * neither cached nor, once freed, always given back to the system.
     */
    private static int readFully(FileChannel ch, byte[] data, long position) throws IOException {
        return readFully(ch, ByteBuffer.wrap(data), position);
    }

    /** As above, into {@code buf} from its position to its limit; returns the bytes read. */
    private static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int start = buf.position();
        int end = buf.limit();
        long pos = position;
        while (buf.hasRemaining()) {
            buf.limit(Math.min(end, buf.position() + IO_SLICE));
            int n = ch.read(buf, pos);
            buf.limit(end);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        return buf.position() - start;
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (IOException e) {
            throw failure("open", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path p = resolve(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), null));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> consumer) {
        // Walk only the deepest directory the prefix names completely; filter the rest by string.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : resolveDir(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(start)) {
            paths.forEach(p -> {
                if (p.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    return;
                }
                String key = toKey(p);
                if (key.isEmpty() || !key.startsWith(prefix)) {
                    return;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        consumer.accept(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), null));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while listing: not seen, which the contract allows
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw failure("list", prefix, e.getCause());
        } catch (IOException e) {
            throw failure("list", prefix, e);
        }
    }

    @Override
    public void delete(String key) {
        Path p = resolve(key);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
        // Tidy now-empty parent directories up to the root; losing a race with a put is harmless.
        Path dir = p.getParent();
        while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            } catch (IOException e) {
                break;
            }
            dir = dir.getParent();
        }
    }

    @Override
    public String describe() {
        return "local:" + root;
    }

    private String toKey(Path p) {
        Path rel = root.relativize(p);
        return rel.toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private Path resolve(String key) {
        validateKey(key);
        return root.resolve(key);
    }

    private Path resolveDir(String dir) {
        validateKey(dir);
        return root.resolve(dir);
    }

    static void validateKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")
                || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0 || key.indexOf(':') >= 0) {
            throw new StoreException("invalid object key: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.startsWith(TEMP_PREFIX)) {
                throw new StoreException("invalid object key: " + key);
            }
        }
    }

    private static StoreException failure(String op, String key, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ObjectNotFoundException(key);
        }
        if (e instanceof AccessDeniedException) {
            return new StoreException("cannot " + op + " " + key + ": access denied", e);
        }
        // Local I/O errors (disk full, EIO) are not fixed by an immediate retry, but an
        // interrupted or busy filesystem may be; treat only the generic case as transient.
        if (e.getClass() == IOException.class) {
            return new TransientStoreException("cannot " + op + " " + key + ": " + e.getMessage(), e);
        }
        return new StoreException("cannot " + op + " " + key + ": " + e.getMessage(), e);
    }

    /** Makes the rename durable: on Linux a new directory entry survives a crash only once the directory is synced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or sync directories; the data itself is already synced.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a stray temporary file is never listed
        }
    }
}
