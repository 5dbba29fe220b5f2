package io.efftrain.pipeline.run;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;

/**
 * One writer per output: an exclusive lock file beside a run directory or table ({@code .<name>.lock}), created
 * atomically (exclusive create on a local disk, a non-overwriting create at the HDFS NameNode) and holding its
 * owner, host, process id, command and start time. A second writer is refused with {@link ExitCode#BUSY} and a
 * message naming the holder. A lock left by a process that died on this host (kill -9, a lost JVM) is stale: its
 * process no longer exists, so the next writer takes it over. A lock from another host cannot be checked that way,
 * so the message says which file to delete once that writer is known to be gone.
 */
public final class OutputLock implements AutoCloseable {
    private final Store store;
    private final String owner;
    private boolean held = true;

    private OutputLock(Store store, String owner) {
        this.store = store;
        this.owner = owner;
    }

    /** Locks the local output {@code target} for {@code command}. */
    public static OutputLock local(Path target, String command) {
        Path absolute = target.toAbsolutePath().normalize();
        return acquire(new LocalStore(absolute.resolveSibling(lockName(absolute.getFileName().toString()))),
                absolute.toString(), command);
    }

    /** Locks {@code target} on a Hadoop file system (a local path goes through {@link #local}). */
    public static OutputLock on(FileSystem fs, org.apache.hadoop.fs.Path target, String command) {
        if ("file".equals(fs.getUri().getScheme())) {
            return local(Path.of(fs.makeQualified(target).toUri()), command);
        }
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(target.getParent(), lockName(target.getName()));
        return acquire(new HadoopStore(fs, lock), target.toString(), command);
    }

    /** The lock file's name for an output named {@code name}. */
    public static String lockName(String name) {
        return "." + name + ".lock";
    }

    private static OutputLock acquire(Store store, String output, String command) {
        String mine = describe(command);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (store.createExclusive(mine)) {
                return new OutputLock(store, mine);
            }
            String holder = store.read();
            if (holder == null) {
                continue;
            }
            if (!isStale(holder)) {
                throw new EfftrainException(ExitCode.BUSY, output + " is being written by another efftrain process ("
                        + holder.strip().replace('\n', ' ') + "). Wait for it to finish, or, if that process is "
                        + "gone, delete " + store + ".");
            }
            store.deleteIf(holder);
        }
        throw new EfftrainException(ExitCode.BUSY, output + " is being locked and unlocked by other efftrain "
                + "processes; retry.");
    }

    /** A holder on this host whose process is gone. */
    static boolean isStale(String holder) {
        Map<String, String> fields = parse(holder);
        String pid = fields.get("pid");
        if (!host().equals(fields.get("host")) || pid == null) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String describe(String command) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("owner", System.getProperty("user.name"));
        fields.put("host", host());
        fields.put("pid", Long.toString(ProcessHandle.current().pid()));
        fields.put("command", command);
        fields.put("started", Instant.now().toString());
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return fields;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Releases the lock if this process still holds it. */
    @Override
    public void close() {
        if (held) {
            held = false;
            store.deleteIf(owner);
        }
    }

    /** Where the lock file lives: local disk or a Hadoop file system. */
    private interface Store {
        /** Creates the lock file holding {@code content}; false if it exists. */
        boolean createExclusive(String content);

        /** The lock file's content, or null if it is gone. */
        String read();

        /** Deletes the lock file. */
        void delete() throws IOException;

        /** Deletes the lock file if it still holds {@code content}: never another writer's lock. */
        default void deleteIf(String content) {
            try {
                if (content.equals(read())) {
                    delete();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the lock file " + this, e);
            }
        }
    }

    private record LocalStore(Path file) implements Store {
        @Override
        public boolean createExclusive(String content) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                throw new EfftrainException(ExitCode.BAD_CONFIG, "cannot create the lock file " + file + ": " + e
                        + ". Check that its folder is writable.", e);
            }
        }

        @Override
        public String read() {
            try {
                return Files.readString(file);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the lock file " + file, e);
            }
        }

        @Override
        public void delete() throws IOException {
            Files.deleteIfExists(file);
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    private record HadoopStore(FileSystem fs, org.apache.hadoop.fs.Path file) implements Store {
        @Override
        public boolean createExclusive(String content) {
            try (OutputStream out = fs.create(file, false)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                if (exists()) {
                    return false;
                }
                throw new UncheckedIOException("cannot create the lock file " + file, e);
            }
        }

        private boolean exists() {
            try {
                return fs.exists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check the lock file " + file, e);
            }
        }

        @Override
        public String read() {
            try (InputStream in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.FileNotFoundException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the lock file " + file, e);
            }
        }

        @Override
        public void delete() throws IOException {
            fs.delete(file, false);
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
