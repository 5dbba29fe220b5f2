package io.efftrain.sampling.dedup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups examples linked by duplicate pairs (a copy of a copy is in the same group) with union-find, and picks
 * the smallest id of each group as the one to keep, so the choice is the same on every rerun.
 */
final class DuplicateGroups {
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Double> closest = new HashMap<>();

    /** One pair found; {@code distance} is 0 for identical features. */
    void link(String a, String b, double distance) {
        closest.merge(a, distance, Math::min);
        closest.merge(b, distance, Math::min);
        String ra = root(a);
        String rb = root(b);
        if (!ra.equals(rb)) {
            // The smaller id becomes the root, so every root is its group's smallest id.
            if (ra.compareTo(rb) < 0) {
                parent.put(rb, ra);
            } else {
                parent.put(ra, rb);
            }
        }
    }

    private String root(String id) {
        String p = parent.getOrDefault(id, id);
        if (p.equals(id)) {
            return id;
        }
        String r = root(p);
        parent.put(id, r);
        return r;
    }

    /** Every grouped example that is not its group's representative, with its representative. */
    Map<String, String> removed() {
        Map<String, String> out = new TreeMap<>();
        for (String id : List.copyOf(closest.keySet())) {
            String r = root(id);
            if (!r.equals(id)) {
                out.put(id, r);
            }
        }
        return out;
    }

    /** The smallest distance of any pair an example was in. */
    double closestDistance(String id) {
        return closest.get(id);
    }
}
