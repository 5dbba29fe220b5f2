package io.efftrain.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
    @TempDir
    Path dir;

    @Test
    void aLockIsExclusiveNamesItsHolderAndIsGoneAfterClose() throws IOException {
        Path out = dir.resolve("table");
        Path lockFile = dir.resolve(OutputLock.lockName("table"));
        try (OutputLock first = OutputLock.local(out, "prepare")) {
            String holder = Files.readString(lockFile);
            assertTrue(holder.contains("pid=" + ProcessHandle.current().pid()) && holder.contains("command=prepare"),
                    holder);
            EfftrainException busy = assertThrows(EfftrainException.class, () -> OutputLock.local(out, "run"));
            assertEquals(ExitCode.BUSY, busy.exitCode());
            assertTrue(busy.getMessage().contains(lockFile.toString()), busy.getMessage());
        }
        assertFalse(Files.exists(lockFile));
        OutputLock.local(out, "again").close();
    }

    @Test
    void theLockOfAProcessThatDiedOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = InetAddress.getLocalHost().getHostName();
        Path lockFile = dir.resolve(OutputLock.lockName("run"));
        Files.writeString(lockFile, "owner=someone\nhost=" + host + "\npid=" + gone.pid() + "\ncommand=run\n");
        try (OutputLock taken = OutputLock.local(dir.resolve("run"), "resume")) {
            assertTrue(Files.readString(lockFile).contains("pid=" + ProcessHandle.current().pid()));
        }

        Files.writeString(lockFile, "owner=someone\nhost=another-host\npid=" + gone.pid() + "\n");
        EfftrainException remote = assertThrows(EfftrainException.class,
                () -> OutputLock.local(dir.resolve("run"), "run"));
        assertTrue(remote.getMessage().contains("another-host"), "another host's lock cannot be judged stale here");
    }

    @Test
    void aLocalPathOnAHadoopFileSystemTakesTheSameLock() throws IOException {
        FileSystem local = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path table = new org.apache.hadoop.fs.Path(dir.resolve("t").toUri());
        try (OutputLock held = OutputLock.on(local, table, "dedup")) {
            assertEquals(ExitCode.BUSY, assertThrows(EfftrainException.class,
                    () -> OutputLock.local(dir.resolve("t"), "run")).exitCode());
        }
    }
}
