package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FLOPs are charged for what was computed: scoring passes at a third, frozen steps without their skipped part. */
class ExampleWorkTest {
    @Test
    void frozenStepsAreChargedWithoutTheBackwardPassTheySkipped() {
        ExampleWork work = new ExampleWork(100, 30, 40).plus(new ExampleWork(50, 0, 10));
        assertEquals(new ExampleWork(150, 30, 50), work);
        // 150 trained at 9 FLOPs, 30 scored at 3, 50 of the trained skipped 4 FLOPs each.
        assertEquals(150 * 9.0 + 30 * 3.0 - 50 * 4.0, work.flops(9, 4), 1e-9);
        assertEquals(150 * 9.0 + 30 * 3.0, work.flops(9), 1e-9, "a network that skips nothing");
    }
}
