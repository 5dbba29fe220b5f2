package io.efftrain.pipeline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void nothingIsVisibleUntilCommitAndSuccessIsThere() throws IOException {
        Path target = dir.resolve("run1");
        RunDirectory run = RunDirectory.create(target, false);
        run.writeAtomically("summary.json", "{}");
        assertFalse(Files.exists(target));
        run.commit();
        assertTrue(Files.exists(target.resolve(RunDirectory.SUCCESS)));
        assertEquals("{}", Files.readString(target.resolve("summary.json")));
        assertFalse(Files.exists(run.staging()));
    }

    @Test
    void aCompletedRunIsNotOverwrittenUnlessAsked() {
        Path target = dir.resolve("run1");
        RunDirectory.create(target, false).commit();
        EfftrainException e = assertThrows(EfftrainException.class, () -> RunDirectory.create(target, false));
        assertEquals(ExitCode.ALREADY_DONE, e.exitCode());
        assertTrue(e.getMessage().contains("--overwrite"));
    }

    @Test
    void aFailedRunLeavesTheEarlierRunIntactAndOverwriteReplacesItOnlyOnCommit() throws IOException {
        Path target = dir.resolve("run1");
        RunDirectory first = RunDirectory.create(target, false);
        first.writeAtomically("summary.json", "first");
        first.commit();

        RunDirectory failed = RunDirectory.create(target, true);
        failed.writeAtomically("summary.json", "second");
        // The second run dies here, before commit; its process ending releases the lock (a killed process's lock
        // is taken over as stale: OutputLockTest).
        failed.close();
        assertEquals("first", Files.readString(target.resolve("summary.json")));

        RunDirectory third = RunDirectory.create(target, true);
        third.writeAtomically("summary.json", "third");
        third.commit();
        assertEquals("third", Files.readString(target.resolve("summary.json")));
        assertTrue(Files.exists(target.resolve(RunDirectory.SUCCESS)));
    }

    @Test
    void aFolderEfftrainDidNotMakeIsRefusedAndKeptWhateverOverwriteSays() throws IOException {
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("precious.txt"), "precious");
        for (boolean overwrite : new boolean[] {false, true}) {
            EfftrainException e = assertThrows(EfftrainException.class, () -> RunDirectory.create(mine, overwrite));
            assertEquals(ExitCode.ALREADY_DONE, e.exitCode());
            assertTrue(e.getMessage().contains("--run-dir " + mine.toAbsolutePath()) && e.getMessage().contains(
                    "did not make"), e.getMessage());
        }
        assertEquals("precious", Files.readString(mine.resolve("precious.txt")));
        assertTrue(Files.isDirectory(mine.resolve("sub")));
        assertFalse(Files.exists(dir.resolve(".mine.staging")), "no staging folder left behind");
        assertFalse(Files.exists(dir.resolve(OutputLock.lockName("mine"))), "no lock left behind");

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertEquals(ExitCode.ALREADY_DONE, assertThrows(EfftrainException.class,
                () -> RunDirectory.create(file, true)).exitCode());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anEmptyFolderIsUsedAndACommittedRunIsEfftrainsToReplace() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        RunDirectory.create(empty, false).commit();
        assertTrue(Files.exists(empty.resolve(OutputMarker.NAME)) && Files.exists(empty.resolve(RunDirectory.SUCCESS)));
        RunDirectory again = RunDirectory.create(empty, true);
        again.writeAtomically("summary.json", "again");
        again.commit();
        assertEquals("again", Files.readString(empty.resolve("summary.json")));
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamedUntilTheFirstFinishes() {
        Path target = dir.resolve("run1");
        RunDirectory first = RunDirectory.create(target, false);
        EfftrainException busy = assertThrows(EfftrainException.class, () -> RunDirectory.create(target, true));
        assertEquals(ExitCode.BUSY, busy.exitCode());
        assertTrue(busy.getMessage().contains("pid=" + ProcessHandle.current().pid()), busy.getMessage());
        first.commit();
        // Now the first run is complete: a second run without --overwrite is told so, not that it is busy.
        assertEquals(ExitCode.ALREADY_DONE, assertThrows(EfftrainException.class,
                () -> RunDirectory.create(target, false)).exitCode());
        RunDirectory.create(target, true).abandon();
    }
}
