package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The workers' CPU share and balance from loops combined within rounds and across them. */
class WorkerTimeTest {
    @Test
    void aRoundLastsAsLongAsItsSlowestWorker() {
        // Two workers of one round: 800 of 1000 ms and 450 of 500 ms on a CPU.
        WorkerTime round = WorkerTime.ofLoop(800, 1000).sameRound(WorkerTime.ofLoop(450, 500));
        assertEquals(1250.0 / 1500, round.cpuShare().getAsDouble(), 1e-12);
        // Mean loop 750 against the slowest 1000: the faster worker idled half the round.
        assertEquals(0.75, round.balance().getAsDouble(), 1e-12);
        assertEquals(1, round.rounds());
        assertEquals(2, round.workerRounds());
    }

    @Test
    void roundsAddUpTheirSlowestWorkers() {
        WorkerTime first = WorkerTime.ofLoop(900, 1000).sameRound(WorkerTime.ofLoop(900, 1000));
        WorkerTime second = WorkerTime.ofLoop(100, 200).sameRound(WorkerTime.ofLoop(300, 600));
        WorkerTime run = WorkerTime.NONE.nextRound(first).nextRound(second);
        assertEquals(2200.0 / 2800, run.cpuShare().getAsDouble(), 1e-12);
        // 2 workers per round, 2800 ms of loops, slowest loops 1000 + 600.
        assertEquals(2800.0 / 2 / 1600, run.balance().getAsDouble(), 1e-12);
        assertEquals(first, WorkerTime.NONE.sameRound(first.sameRound(WorkerTime.NONE)), "NONE is neutral");
    }

    @Test
    void coordinationIsTheRoundsTimeOutsideTheSlowestWorkersLoops() {
        // Rounds of 1000 and 600 ms slowest loops took 1250 and 750 ms on the driver's clock.
        WorkerTime first = WorkerTime.ofLoop(900, 1000).sameRound(WorkerTime.ofLoop(900, 800));
        WorkerTime second = WorkerTime.ofLoop(500, 600).sameRound(WorkerTime.ofLoop(300, 300));
        WorkerTime run = WorkerTime.NONE.nextRound(first).nextRound(second);
        assertEquals(1 - 1600.0 / 2000, run.coordinationShare(2000).getAsDouble(), 1e-12);
        // A clock that disagrees (loops longer than the rounds) gives 0, never a negative share.
        assertEquals(0, run.coordinationShare(1500).getAsDouble(), 0);
        assertFalse(run.coordinationShare(0).isPresent());
    }

    @Test
    void nothingMeasuredGivesNoFigures() {
        assertFalse(WorkerTime.NONE.cpuShare().isPresent());
        assertFalse(WorkerTime.NONE.balance().isPresent());
        assertFalse(WorkerTime.NONE.coordinationShare(1000).isPresent());
        Map<String, Double> fields = WorkerTime.NONE.reportFields(1000);
        assertEquals(List.of("worker_cpu_share", "worker_balance", "coordination_share"),
                List.copyOf(fields.keySet()));
        assertTrue(fields.values().stream().allMatch(Objects::isNull), fields.toString());
    }

    @Test
    void reportsNameTheSameFigures() {
        WorkerTime round = WorkerTime.ofLoop(600, 1000).sameRound(WorkerTime.ofLoop(400, 500));
        assertEquals(round.cpuShare().getAsDouble(), round.reportFields(1250).get("worker_cpu_share"), 1e-12);
        assertEquals(round.balance().getAsDouble(), round.reportFields(1250).get("worker_balance"), 1e-12);
        assertEquals(0.2, round.reportFields(1250).get("coordination_share"), 1e-12);
    }

    @Test
    void theCurrentThreadsCpuTimeAdvancesWhileItWorks() {
        long start = WorkerTime.currentThreadCpuNanos();
        double sink = 0;
        for (int i = 0; i < 5_000_000; i++) {
            sink += Math.sqrt(i);
        }
        long end = WorkerTime.currentThreadCpuNanos();
        assertTrue(sink > 0);
        assertTrue(start >= 0 && end > start, start + " then " + end);
    }
}
