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
        // The second run dies here, before commit.
        assertEquals("first", Files.readString(target.resolve("summary.json")));

        RunDirectory third = RunDirectory.create(target, true);
        third.writeAtomically("summary.json", "third");
        third.commit();
        assertEquals("third", Files.readString(target.resolve("summary.json")));
        assertTrue(Files.exists(target.resolve(RunDirectory.SUCCESS)));
    }
}
