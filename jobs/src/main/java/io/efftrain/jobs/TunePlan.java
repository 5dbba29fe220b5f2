package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Successive halving's arithmetic: how many trials each rung trains and on what share of one full training. Each
 * rung keeps 1/eta of the one before (rounded down, at least one) and trains them on eta times its share; the last
 * rung trains one trial on the full budget, so the winner's training is exactly one full training of its config.
 * Every trial of a rung trains from scratch (budget-aware schedules end where the budget ends, so a shorter run is
 * not a prefix of a longer one).
 *
 * @param eta the promotion factor
 * @param rungs the rungs in order
 */
public record TunePlan(int eta, List<Rung> rungs) {
    public TunePlan {
        rungs = List.copyOf(rungs);
    }

    /**
     * One rung.
     *
     * @param index 0 for the first rung
     * @param trials trials trained in this rung
     * @param fraction each trial's share of one full training (1 on the last rung)
     */
    public record Rung(int index, int trials, double fraction) {
        /** This rung's training, in full trainings. */
        public double cost() {
            return trials * fraction;
        }
    }

    /** The plan for {@code trials} starting trials: rungs of n, n / eta, n / eta^2, ... trials, down to one. */
    public static TunePlan successiveHalving(int trials, int eta) {
        if (trials < 1 || eta < 2) {
            throw new IllegalArgumentException("trials >= 1 and eta >= 2, got " + trials + " and " + eta);
        }
        List<Integer> counts = new ArrayList<>();
        for (int n = trials; ; n = Math.max(1, n / eta)) {
            counts.add(n);
            if (n == 1) {
                break;
            }
        }
        int last = counts.size() - 1;
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            rungs.add(new Rung(i, counts.get(i), Math.pow(eta, i - last)));
        }
        return new TunePlan(eta, rungs);
    }

    /**
     * The plan tune runs: {@code requested} trials (at most {@code distinct}, the points the space holds), or, when
     * none are requested, the most trials whose plan fits the budget.
     *
     * @param budget the total, in full trainings
     * @throws EfftrainException a bad-config error naming tune.trials and tune.budget when the requested plan
     *     costs more than the budget
     */
    public static TunePlan fitting(OptionalInt requested, int eta, double budget, long distinct) {
        int most = (int) Math.min(distinct, 100_000);
        if (requested.isPresent()) {
            int trials = Math.min(requested.getAsInt(), most);
            TunePlan plan = successiveHalving(trials, eta);
            if (plan.cost() > budget + 1e-9) {
                throw EfftrainException.badConfig(String.format(Locale.ROOT, "tune.trials = %d with tune.eta = %d "
                        + "trains %s, %.3g full trainings in all, more than tune.budget = %.3g. Raise tune.budget, "
                        + "or set tune.trials = %d or fewer (or null: as many as the budget allows).", trials, eta,
                        plan.describe(), plan.cost(), budget, mostWithin(eta, budget, most)));
            }
            return plan;
        }
        return successiveHalving(mostWithin(eta, budget, most), eta);
    }

    /** The most starting trials (up to {@code most}) whose plan costs at most {@code budget}; at least 1. */
    static int mostWithin(int eta, double budget, int most) {
        int best = 1;
        for (int n = 1; n <= most; n++) {
            if (successiveHalving(n, eta).cost() <= budget + 1e-9) {
                best = n;
            }
        }
        return best;
    }

    /**
     * Hyperband's brackets for {@code sMax}: bracket s (from sMax down to 0) starts
     * ceil((sMax + 1) / (s + 1) x eta^s) trials on eta^-s of a full training, and each of its s + 1 rungs keeps
     * 1/eta of the one before on eta times the share, so its last rung trains on the full budget (one trial or a
     * few).
     */
    public static List<TunePlan> hyperband(int sMax, int eta) {
        if (sMax < 0 || eta < 2) {
            throw new IllegalArgumentException("sMax >= 0 and eta >= 2, got " + sMax + " and " + eta);
        }
        List<TunePlan> brackets = new ArrayList<>();
        for (int s = sMax; s >= 0; s--) {
            long n = (long) Math.ceil((sMax + 1.0) / (s + 1) * Math.pow(eta, s) - 1e-9);
            List<Rung> rungs = new ArrayList<>();
            for (int i = 0; i <= s; i++) {
                rungs.add(new Rung(i, kept(n, eta, i), Math.pow(eta, i - s)));
            }
            brackets.add(new TunePlan(eta, rungs));
        }
        return brackets;
    }

    /**
     * The brackets tune runs with {@code method = hyperband}: those of the largest sMax whose brackets together
     * cost at most {@code budget}, or, when trials are requested, the sMax whose first bracket starts about that
     * many (eta^sMax of them at most).
     *
     * @throws EfftrainException a bad-config error naming tune.trials and tune.budget when the requested brackets
     *     cost more than the budget
     */
    public static List<TunePlan> hyperbandFitting(OptionalInt requested, int eta, double budget) {
        if (requested.isPresent()) {
            int sMax = 0;
            while (Math.pow(eta, sMax + 1) <= requested.getAsInt()) {
                sMax++;
            }
            List<TunePlan> brackets = hyperband(sMax, eta);
            double cost = cost(brackets);
            if (cost > budget + 1e-9) {
                throw EfftrainException.badConfig(String.format(Locale.ROOT, "tune.method = hyperband with "
                        + "tune.trials = %d and tune.eta = %d runs %d brackets (%s), %.3g full trainings in all, more "
                        + "than tune.budget = %.3g. Raise tune.budget, or set tune.trials = null (as many brackets as "
                        + "the budget allows).", requested.getAsInt(), eta, brackets.size(), describe(brackets), cost,
                        budget));
            }
            return brackets;
        }
        int sMax = 0;
        while (sMax < 10 && cost(hyperband(sMax + 1, eta)) <= budget + 1e-9) {
            sMax++;
        }
        return hyperband(sMax, eta);
    }

    /** All brackets' training, in full trainings. */
    public static double cost(List<TunePlan> brackets) {
        return brackets.stream().mapToDouble(TunePlan::cost).sum();
    }

    /** Like "[9 x 0.111, 3 x 0.333, 1 x 1] + [3 x 1]". */
    public static String describe(List<TunePlan> brackets) {
        return brackets.stream().map(b -> "[" + b.rungList() + "]")
                .collect(java.util.stream.Collectors.joining(" + ")) + " of a full training";
    }

    /**
     * This plan started with {@code n} trials instead (a space with fewer points than the plan starts): every rung
     * keeps its share of the budget and 1/eta^i of the starting trials, at least one.
     */
    public TunePlan withTrials(int n) {
        if (n == trials()) {
            return this;
        }
        List<Rung> fewer = new ArrayList<>();
        for (Rung r : rungs) {
            fewer.add(new Rung(r.index(), Math.min(r.trials(), kept(n, eta, r.index())), r.fraction()));
        }
        return new TunePlan(eta, fewer);
    }

    /** The trials of rung {@code rung} of a plan that starts {@code n}: 1/eta^rung of them, at least one. */
    private static int kept(long n, int eta, int rung) {
        return (int) Math.max(1, (long) Math.floor(n / Math.pow(eta, rung) + 1e-9));
    }

    /** Starting trials. */
    public int trials() {
        return rungs.get(0).trials();
    }

    /** All rungs' training, in full trainings. */
    public double cost() {
        return rungs.stream().mapToDouble(Rung::cost).sum();
    }

    /** Like "9 x 1/9, 3 x 1/3, 1 x 1 of a full training". */
    public String describe() {
        return rungList() + " of a full training";
    }

    /** Like "9 x 0.111, 3 x 0.333, 1 x 1". */
    private String rungList() {
        List<String> parts = new ArrayList<>();
        for (Rung r : rungs) {
            parts.add(String.format(Locale.ROOT, "%d x %.3g", r.trials(), r.fraction()));
        }
        return String.join(", ", parts);
    }
}
