package io.efftrain.trainers.averaging;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How long workers spent in their minibatch steps and how much of that time they actually had a CPU: the
 * figures that tell a slow round caused by the model from one whose workers lost their cores to other threads.
 * On two cores, for example, the JIT compiler and the garbage collector take their share from the two workers,
 * and other processes on the machine take more; samples/s alone cannot show that. A host that runs the whole
 * machine slower (its other tenants, its clock) does not show here: the threads are still on a CPU, a slower one
 * (the benchmark's machine_speed measures that).
 *
 * <p>Sums over workers ({@link #sameRound}, associative like {@link RoundResult#plus}, which uses it) and over
 * rounds ({@link #nextRound}); the slowest worker's time is a maximum per round, summed over rounds, because a
 * round lasts as long as its slowest worker.
 *
 * @param cpuNanos CPU time of the workers' threads in their step loops (user and system)
 * @param wallNanos wall time of the same loops
 * @param slowestWallNanos per round, the longest of the workers' loops; summed over rounds
 * @param workerRounds how many worker loops the sums cover
 * @param rounds how many rounds {@code slowestWallNanos} covers
 */
public record WorkerTime(long cpuNanos, long wallNanos, long slowestWallNanos, long workerRounds, long rounds)
        implements Serializable {
    /** Nothing measured. */
    public static final WorkerTime NONE = new WorkerTime(0, 0, 0, 0, 0);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One worker's loop of one round. */
    public static WorkerTime ofLoop(long cpuNanos, long wallNanos) {
        return new WorkerTime(cpuNanos, wallNanos, wallNanos, 1, 1);
    }

    /**
     * The current thread's CPU time in nanoseconds, or -1 where the JVM cannot measure it (then a loop reports
     * {@link #NONE} and the shares stay empty rather than wrong).
     */
    public static long currentThreadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /**
     * The worker's own monotonic wall clock, beside its CPU clock: the pair says how much of a loop the thread
     * waited. A measurement reported back, never a budget; budgets read the driver's injected Ticker.
     */
    public static long currentWallNanos() {
        return System.nanoTime();
    }

    /** Two workers of the same round. */
    public WorkerTime sameRound(WorkerTime other) {
        return new WorkerTime(cpuNanos + other.cpuNanos, wallNanos + other.wallNanos,
                Math.max(slowestWallNanos, other.slowestWallNanos), workerRounds + other.workerRounds,
                Math.max(rounds, other.rounds));
    }

    /** This round (or run so far) followed by another round. */
    public WorkerTime nextRound(WorkerTime round) {
        return new WorkerTime(cpuNanos + round.cpuNanos, wallNanos + round.wallNanos,
                slowestWallNanos + round.slowestWallNanos, workerRounds + round.workerRounds, rounds + round.rounds);
    }

    /**
     * The fraction of the step loops' wall time that their threads were on a CPU; well below 1 means other
     * threads or processes took the cores (JIT, GC, other tasks). Only the workers' own threads
     * count: native threads a worker waits for (OpenMP with more than one thread per worker) lower it as well.
     */
    public OptionalDouble cpuShare() {
        return wallNanos > 0 ? OptionalDouble.of((double) cpuNanos / wallNanos) : OptionalDouble.empty();
    }

    /**
     * The workers' mean loop time over the slowest one's, averaged over rounds: 1 when all workers of a round
     * finish together; below 1, the faster workers wait for the slowest before the round can average.
     */
    public OptionalDouble balance() {
        if (slowestWallNanos <= 0 || rounds == 0) {
            return OptionalDouble.empty();
        }
        double workersPerRound = (double) workerRounds / rounds;
        return OptionalDouble.of(wallNanos / workersPerRound / slowestWallNanos);
    }

    /**
     * The share of the rounds' wall time ({@code roundsWallNanos}, the same rounds as these figures, measured on
     * the driver) that lay outside the slowest worker's step loops: launching the Spark job and its tasks,
     * broadcasting the model and sending the results back, averaging, and the driver's callbacks between rounds.
     * It is the cost of coordinating the workers, which longer rounds spread over more steps; worker imbalance
     * is not in it ({@link #balance} shows that).
     */
    public OptionalDouble coordinationShare(long roundsWallNanos) {
        if (roundsWallNanos <= 0 || rounds == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, 1 - (double) slowestWallNanos / roundsWallNanos));
    }

    /**
     * The figures as run reports name them, {@code worker_cpu_share}, {@code worker_balance} and
     * {@code coordination_share} (of rounds that took {@code roundsWallNanos}), null where nothing was measured:
     * summary.json and every metrics.jsonl line carry the same three.
     */
    public Map<String, Double> reportFields(long roundsWallNanos) {
        Map<String, Double> fields = new LinkedHashMap<>();
        fields.put("worker_cpu_share", orNull(cpuShare()));
        fields.put("worker_balance", orNull(balance()));
        fields.put("coordination_share", orNull(coordinationShare(roundsWallNanos)));
        return fields;
    }

    private static Double orNull(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
