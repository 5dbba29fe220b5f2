package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkLocalDirsTest {
    @TempDir
    Path tmp;

    @Test
    void theScratchFoldersOfDeadProcessesAreRemovedAndLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.createDirectories(tmp.resolve(SparkLocalDirs.PREFIX + gone.pid()).resolve("blockmgr-1"));
        Files.writeString(dead.resolve("shuffle_0.data"), "x");
        Path live = Files.createDirectories(tmp.resolve(SparkLocalDirs.PREFIX + ProcessHandle.current().pid()));
        Path other = Files.createDirectories(tmp.resolve("spark-not-ours"));

        Path mine = SparkLocalDirs.forThisProcess(tmp);

        assertFalse(Files.exists(dead.getParent()), "a SIGKILLed run's scratch space is removed");
        assertTrue(Files.exists(live) && Files.exists(other), "a live process's and anything not ours are kept");
        assertEquals(live, mine);
        assertEquals(List.of(), SparkLocalDirs.removeStale(tmp));
    }
}
