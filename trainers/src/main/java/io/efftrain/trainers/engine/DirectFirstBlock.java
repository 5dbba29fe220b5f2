package io.efftrain.trainers.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LeNet's first block (a 28 x 28 one-channel image, a 5 x 5 kernel, 2 x 2 max-pooling, 17 to 32 filters) as
 * a direct convolution in vector registers, without a patch matrix: each pooling window's four convolution
 * outputs are summed in registers (filters across the lanes, in groups of two vectors: one group of 16-lane
 * vectors on AVX-512, two groups of 8-lane vectors on AVX2), pooled, biased and ReLU'd there, and the weight
 * gradient is summed in 25 registers per vector of filters. The matrix-multiply route spends most
 * of this block's time copying (im2col, splitting and joining the product's window columns:
 * docs/experiments/fast-cpu-training.md sections 10, 11 and 15); here the only memory traffic is the image, the
 * pooled output and the window position of each pooled maximum (kept as a float).
 *
 * <p>Uses JDK 17's incubating Vector API ({@code --add-modules jdk.incubator.vector}); {@link VectorKernels} says
 * whether this JVM has it, and the layer falls back to the matrix-multiply route when it does not. Measured in a
 * one-thread LeNet step at batch 128 on a Zen 5 with AVX-512 (docs/experiments/fast-cpu-training.md section 16): the block's forward pass
 * ~0.9 ms and its backward ~1.35 ms, against ~5 ms for the matrix-multiply route; the step 11 % shorter.
 *
 * <p>Values are NHWC with {@code filters} per position. A position's last vector reaches past its filters into the
 * next position (or past the end: arrays carry {@link #PADDING} spare values); its extra lanes compute nonsense that is never kept: a position's stores come before the next position's, which overwrite them,
 * and the gradient sums keep only the filters' lanes.
 */
final class DirectFirstBlock {
    /** Spare values at the end of every array this class reads or writes by the vector (weights, bias, outputs). */
    static final int PADDING = 32;
    /**
     * The vector width, chosen once per JVM: the CPU's widest (256 bits on AVX2, 512 on AVX-512) unless
     * {@link VectorWidth#REQUESTED_BITS} names one. A static final on purpose: C2 folds it, and with it every
     * lane count below, into constants, as it needs to keep the vectors in registers.
     */
    private static final VectorSpecies<Float> S = VectorWidth.REQUESTED_BITS == 0
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.REQUESTED_BITS));
    private static final int LANES = S.length();
    private static final int KERNEL = 5;
    /**
     * The image side and the pooled side. Compile-time constants on purpose: with the image's sizes read at run
     * time, C2 compiled the weight-gradient loop 5.5x slower (7.5 against 1.35 ms a batch of 128), so the kernel
     * takes 28 x 28 images (MNIST's and Fashion-MNIST's) and other sizes the matrix-multiply route.
     */
    private static final int SIDE = 28;
    private static final int POOLED = (SIDE - KERNEL + 1) / 2;
    private static final int IMAGE = SIDE * SIDE;

    private DirectFirstBlock() {
    }

    /** The vector width in bits this JVM's kernels use. */
    static int bits() {
        return S.vectorBitSize();
    }

    /**
     * Whether this CPU runs the chosen width natively and it is at least 256 bits: a width above the CPU's is
     * emulated by the API, and 128-bit vectors (x86-64's baseline SSE) do not beat the matrix-multiply route. Only
     * to be called once {@link VectorKernels}'s module check passed.
     */
    static boolean nativeWidth() {
        return S.length() <= FloatVector.SPECIES_PREFERRED.length() && S.vectorBitSize() >= 256;
    }

    /**
     * Runs both passes on one small batch until C2 has compiled them, and returns true. Why: a first call on a
     * real batch runs long loops, which C2 compiles on the stack (OSR) with a profile of a few iterations; once, in
     * about a dozen JVMs, that left every kernel 10 to 20x slower for the JVM's life (the Vector API's calls not
     * inlined, so every vector boxed). Many short calls first give the ordinary compilation a full profile.
     */
    static boolean warmUp() {
        ConvPoolGeometry g = new ConvPoolGeometry(SIDE, SIDE, 1, KERNEL, 20, 2);
        int examples = 2;
        float[] input = new float[examples * IMAGE];
        for (int i = 0; i < input.length; i++) {
            input[i] = (i * 37 % 101) / 101f;
        }
        float[] weights = new float[KERNEL * KERNEL * g.filters() + PADDING];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i * 13 % 29 - 14) / 29f;
        }
        float[] bias = new float[g.filters() + PADDING];
        int values = examples * g.outputSize() + PADDING;
        float[] pooled = new float[values];
        float[] window = new float[values];
        float[] weightGradient = new float[KERNEL * KERNEL * g.filters()];
        float[] biasGradient = new float[g.filters()];
        for (int i = 0; i < 400; i++) {
            forward(g, input, 0, examples, weights, bias, pooled, window);
            backward(g, input, 0, examples, pooled, window, weightGradient, biasGradient);
        }
        return true;
    }

    /**
     * Forward pass of examples {@code [from, to)} of {@code input} (one image after another): {@code pooled}
     * (from position 0) gets relu(max over each pooling window + bias) in NHWC order and {@code window} the
     * position in the window (0 to 3, row by row) the maximum came from, the first one on ties.
     *
     * @param weights k-major: weight {@code k = ky * 5 + kx} of filter {@code f} at {@code k * filters + f}
     */
    static void forward(ConvPoolGeometry g, float[] input, int from, int to, float[] weights, float[] bias,
                        float[] pooled, float[] window) {
        int filters = g.filters();
        int columns = SIDE;
        FloatVector zero = FloatVector.zero(S);
        int out = 0;
        for (int n = from; n < to; n++) {
            int image = n * IMAGE;
            for (int py = 0; py < POOLED; py++) {
                for (int px = 0; px < POOLED; px++, out += filters) {
                    int corner = image + 2 * py * columns + 2 * px;
                    // Groups of two vectors, in ascending order: a group's lanes past the filters spill into the
                    // next position, whose own stores come later and overwrite them.
                    for (int base = 0; base < filters; base += 2 * LANES) {
                        FloatVector l0 = zero, l1 = zero, l2 = zero, l3 = zero;
                        FloatVector h0 = zero, h1 = zero, h2 = zero, h3 = zero;
                        for (int ky = 0; ky < KERNEL; ky++) {
                            for (int kx = 0; kx < KERNEL; kx++) {
                                int k = (ky * KERNEL + kx) * filters + base;
                                FloatVector low = FloatVector.fromArray(S, weights, k);
                                FloatVector high = FloatVector.fromArray(S, weights, k + LANES);
                                int i = corner + ky * columns + kx;
                                FloatVector x0 = FloatVector.broadcast(S, input[i]);
                                FloatVector x1 = FloatVector.broadcast(S, input[i + 1]);
                                FloatVector x2 = FloatVector.broadcast(S, input[i + columns]);
                                FloatVector x3 = FloatVector.broadcast(S, input[i + columns + 1]);
                                l0 = low.fma(x0, l0);
                                h0 = high.fma(x0, h0);
                                l1 = low.fma(x1, l1);
                                h1 = high.fma(x1, h1);
                                l2 = low.fma(x2, l2);
                                h2 = high.fma(x2, h2);
                                l3 = low.fma(x3, l3);
                                h3 = high.fma(x3, h3);
                            }
                        }
                        FloatVector maxLow = l0.max(l1).max(l2.max(l3));
                        FloatVector maxHigh = h0.max(h1).max(h2.max(h3));
                        int at = out + base;
                        maxLow.add(FloatVector.fromArray(S, bias, base)).max(zero).intoArray(pooled, at);
                        firstMax(l0, l1, l2, maxLow).intoArray(window, at);
                        maxHigh.add(FloatVector.fromArray(S, bias, base + LANES)).max(zero)
                                .intoArray(pooled, at + LANES);
                        firstMax(h0, h1, h2, maxHigh).intoArray(window, at + LANES);
                    }
                }
            }
        }
    }

    /** Per lane, the first of the four window positions holding {@code max} (3 when none of the first three does). */
    private static FloatVector firstMax(FloatVector p0, FloatVector p1, FloatVector p2, FloatVector max) {
        return FloatVector.broadcast(S, 3f)
                .blend(2f, p2.compare(VectorOperators.EQ, max))
                .blend(1f, p1.compare(VectorOperators.EQ, max))
                .blend(0f, p0.compare(VectorOperators.EQ, max));
    }

    /**
     * Adds the weight and bias gradients of examples {@code [from, to)} to {@code weightGradient} (k-major, as the
     * weights) and {@code biasGradient}. {@code gradient} is the gradient of the pooled output after the ReLU
     * (from position 0, NHWC) and {@code window} what {@link #forward} left for the same examples; each gradient
     * value goes back through the window position its maximum came from.
     */
    static void backward(ConvPoolGeometry g, float[] input, int from, int to, float[] gradient, float[] window,
                         float[] weightGradient, float[] biasGradient) {
        int filters = g.filters();
        final int c = SIDE;
        final int rows = POOLED;
        final int columns = POOLED;
        final int size = IMAGE;
        float[] sums = new float[26 * LANES];
        for (int half = 0; half < filters; half += LANES) {
            int lanes = Math.min(LANES, filters - half);
            java.util.Arrays.fill(sums, 0f);
            FloatVector zero = FloatVector.zero(S);
            FloatVector bias = zero;
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a02 = FloatVector.zero(S);
            FloatVector a03 = FloatVector.zero(S);
            FloatVector a04 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a12 = FloatVector.zero(S);
            FloatVector a13 = FloatVector.zero(S);
            FloatVector a14 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a22 = FloatVector.zero(S);
            FloatVector a23 = FloatVector.zero(S);
            FloatVector a24 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            FloatVector a32 = FloatVector.zero(S);
            FloatVector a33 = FloatVector.zero(S);
            FloatVector a34 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S);
            FloatVector a41 = FloatVector.zero(S);
            FloatVector a42 = FloatVector.zero(S);
            FloatVector a43 = FloatVector.zero(S);
            FloatVector a44 = FloatVector.zero(S);
            for (int n = from; n < to; n++) {
                int image = n * size;
                for (int py = 0; py < rows; py++) {
                    for (int px = 0; px < columns; px++) {
                        int at = (((n - from) * rows + py) * columns + px) * filters + half;
                        FloatVector gv = FloatVector.fromArray(S, gradient, at);
                        FloatVector wv = FloatVector.fromArray(S, window, at);
                        bias = bias.add(gv);
                        FloatVector g0 = gv.blend(0f, wv.compare(VectorOperators.NE, 0f));
                        FloatVector g1 = gv.blend(0f, wv.compare(VectorOperators.NE, 1f));
                        FloatVector g2 = gv.blend(0f, wv.compare(VectorOperators.NE, 2f));
                        FloatVector g3 = gv.blend(0f, wv.compare(VectorOperators.NE, 3f));
                        int i = image + 2 * py * c + 2 * px;
                        int r0 = i;
                        int r1 = i + 1 * c;
                        int r2 = i + 2 * c;
                        int r3 = i + 3 * c;
                        int r4 = i + 4 * c;
                        int r5 = i + 5 * c;
                        a00 = g0.fma(FloatVector.broadcast(S, input[r0]), a00);
                        a00 = g1.fma(FloatVector.broadcast(S, input[r0 + 1]), a00);
                        a00 = g2.fma(FloatVector.broadcast(S, input[r1]), a00);
                        a00 = g3.fma(FloatVector.broadcast(S, input[r1 + 1]), a00);
                        a01 = g0.fma(FloatVector.broadcast(S, input[r0 + 1]), a01);
                        a01 = g1.fma(FloatVector.broadcast(S, input[r0 + 2]), a01);
                        a01 = g2.fma(FloatVector.broadcast(S, input[r1 + 1]), a01);
                        a01 = g3.fma(FloatVector.broadcast(S, input[r1 + 2]), a01);
                        a02 = g0.fma(FloatVector.broadcast(S, input[r0 + 2]), a02);
                        a02 = g1.fma(FloatVector.broadcast(S, input[r0 + 3]), a02);
                        a02 = g2.fma(FloatVector.broadcast(S, input[r1 + 2]), a02);
                        a02 = g3.fma(FloatVector.broadcast(S, input[r1 + 3]), a02);
                        a03 = g0.fma(FloatVector.broadcast(S, input[r0 + 3]), a03);
                        a03 = g1.fma(FloatVector.broadcast(S, input[r0 + 4]), a03);
                        a03 = g2.fma(FloatVector.broadcast(S, input[r1 + 3]), a03);
                        a03 = g3.fma(FloatVector.broadcast(S, input[r1 + 4]), a03);
                        a04 = g0.fma(FloatVector.broadcast(S, input[r0 + 4]), a04);
                        a04 = g1.fma(FloatVector.broadcast(S, input[r0 + 5]), a04);
                        a04 = g2.fma(FloatVector.broadcast(S, input[r1 + 4]), a04);
                        a04 = g3.fma(FloatVector.broadcast(S, input[r1 + 5]), a04);
                        a10 = g0.fma(FloatVector.broadcast(S, input[r1]), a10);
                        a10 = g1.fma(FloatVector.broadcast(S, input[r1 + 1]), a10);
                        a10 = g2.fma(FloatVector.broadcast(S, input[r2]), a10);
                        a10 = g3.fma(FloatVector.broadcast(S, input[r2 + 1]), a10);
                        a11 = g0.fma(FloatVector.broadcast(S, input[r1 + 1]), a11);
                        a11 = g1.fma(FloatVector.broadcast(S, input[r1 + 2]), a11);
                        a11 = g2.fma(FloatVector.broadcast(S, input[r2 + 1]), a11);
                        a11 = g3.fma(FloatVector.broadcast(S, input[r2 + 2]), a11);
                        a12 = g0.fma(FloatVector.broadcast(S, input[r1 + 2]), a12);
                        a12 = g1.fma(FloatVector.broadcast(S, input[r1 + 3]), a12);
                        a12 = g2.fma(FloatVector.broadcast(S, input[r2 + 2]), a12);
                        a12 = g3.fma(FloatVector.broadcast(S, input[r2 + 3]), a12);
                        a13 = g0.fma(FloatVector.broadcast(S, input[r1 + 3]), a13);
                        a13 = g1.fma(FloatVector.broadcast(S, input[r1 + 4]), a13);
                        a13 = g2.fma(FloatVector.broadcast(S, input[r2 + 3]), a13);
                        a13 = g3.fma(FloatVector.broadcast(S, input[r2 + 4]), a13);
                        a14 = g0.fma(FloatVector.broadcast(S, input[r1 + 4]), a14);
                        a14 = g1.fma(FloatVector.broadcast(S, input[r1 + 5]), a14);
                        a14 = g2.fma(FloatVector.broadcast(S, input[r2 + 4]), a14);
                        a14 = g3.fma(FloatVector.broadcast(S, input[r2 + 5]), a14);
                        a20 = g0.fma(FloatVector.broadcast(S, input[r2]), a20);
                        a20 = g1.fma(FloatVector.broadcast(S, input[r2 + 1]), a20);
                        a20 = g2.fma(FloatVector.broadcast(S, input[r3]), a20);
                        a20 = g3.fma(FloatVector.broadcast(S, input[r3 + 1]), a20);
                        a21 = g0.fma(FloatVector.broadcast(S, input[r2 + 1]), a21);
                        a21 = g1.fma(FloatVector.broadcast(S, input[r2 + 2]), a21);
                        a21 = g2.fma(FloatVector.broadcast(S, input[r3 + 1]), a21);
                        a21 = g3.fma(FloatVector.broadcast(S, input[r3 + 2]), a21);
                        a22 = g0.fma(FloatVector.broadcast(S, input[r2 + 2]), a22);
                        a22 = g1.fma(FloatVector.broadcast(S, input[r2 + 3]), a22);
                        a22 = g2.fma(FloatVector.broadcast(S, input[r3 + 2]), a22);
                        a22 = g3.fma(FloatVector.broadcast(S, input[r3 + 3]), a22);
                        a23 = g0.fma(FloatVector.broadcast(S, input[r2 + 3]), a23);
                        a23 = g1.fma(FloatVector.broadcast(S, input[r2 + 4]), a23);
                        a23 = g2.fma(FloatVector.broadcast(S, input[r3 + 3]), a23);
                        a23 = g3.fma(FloatVector.broadcast(S, input[r3 + 4]), a23);
                        a24 = g0.fma(FloatVector.broadcast(S, input[r2 + 4]), a24);
                        a24 = g1.fma(FloatVector.broadcast(S, input[r2 + 5]), a24);
                        a24 = g2.fma(FloatVector.broadcast(S, input[r3 + 4]), a24);
                        a24 = g3.fma(FloatVector.broadcast(S, input[r3 + 5]), a24);
                        a30 = g0.fma(FloatVector.broadcast(S, input[r3]), a30);
                        a30 = g1.fma(FloatVector.broadcast(S, input[r3 + 1]), a30);
                        a30 = g2.fma(FloatVector.broadcast(S, input[r4]), a30);
                        a30 = g3.fma(FloatVector.broadcast(S, input[r4 + 1]), a30);
                        a31 = g0.fma(FloatVector.broadcast(S, input[r3 + 1]), a31);
                        a31 = g1.fma(FloatVector.broadcast(S, input[r3 + 2]), a31);
                        a31 = g2.fma(FloatVector.broadcast(S, input[r4 + 1]), a31);
                        a31 = g3.fma(FloatVector.broadcast(S, input[r4 + 2]), a31);
                        a32 = g0.fma(FloatVector.broadcast(S, input[r3 + 2]), a32);
                        a32 = g1.fma(FloatVector.broadcast(S, input[r3 + 3]), a32);
                        a32 = g2.fma(FloatVector.broadcast(S, input[r4 + 2]), a32);
                        a32 = g3.fma(FloatVector.broadcast(S, input[r4 + 3]), a32);
                        a33 = g0.fma(FloatVector.broadcast(S, input[r3 + 3]), a33);
                        a33 = g1.fma(FloatVector.broadcast(S, input[r3 + 4]), a33);
                        a33 = g2.fma(FloatVector.broadcast(S, input[r4 + 3]), a33);
                        a33 = g3.fma(FloatVector.broadcast(S, input[r4 + 4]), a33);
                        a34 = g0.fma(FloatVector.broadcast(S, input[r3 + 4]), a34);
                        a34 = g1.fma(FloatVector.broadcast(S, input[r3 + 5]), a34);
                        a34 = g2.fma(FloatVector.broadcast(S, input[r4 + 4]), a34);
                        a34 = g3.fma(FloatVector.broadcast(S, input[r4 + 5]), a34);
                        a40 = g0.fma(FloatVector.broadcast(S, input[r4]), a40);
                        a40 = g1.fma(FloatVector.broadcast(S, input[r4 + 1]), a40);
                        a40 = g2.fma(FloatVector.broadcast(S, input[r5]), a40);
                        a40 = g3.fma(FloatVector.broadcast(S, input[r5 + 1]), a40);
                        a41 = g0.fma(FloatVector.broadcast(S, input[r4 + 1]), a41);
                        a41 = g1.fma(FloatVector.broadcast(S, input[r4 + 2]), a41);
                        a41 = g2.fma(FloatVector.broadcast(S, input[r5 + 1]), a41);
                        a41 = g3.fma(FloatVector.broadcast(S, input[r5 + 2]), a41);
                        a42 = g0.fma(FloatVector.broadcast(S, input[r4 + 2]), a42);
                        a42 = g1.fma(FloatVector.broadcast(S, input[r4 + 3]), a42);
                        a42 = g2.fma(FloatVector.broadcast(S, input[r5 + 2]), a42);
                        a42 = g3.fma(FloatVector.broadcast(S, input[r5 + 3]), a42);
                        a43 = g0.fma(FloatVector.broadcast(S, input[r4 + 3]), a43);
                        a43 = g1.fma(FloatVector.broadcast(S, input[r4 + 4]), a43);
                        a43 = g2.fma(FloatVector.broadcast(S, input[r5 + 3]), a43);
                        a43 = g3.fma(FloatVector.broadcast(S, input[r5 + 4]), a43);
                        a44 = g0.fma(FloatVector.broadcast(S, input[r4 + 4]), a44);
                        a44 = g1.fma(FloatVector.broadcast(S, input[r4 + 5]), a44);
                        a44 = g2.fma(FloatVector.broadcast(S, input[r5 + 4]), a44);
                        a44 = g3.fma(FloatVector.broadcast(S, input[r5 + 5]), a44);
                    }
                }
                // Per image into float sums in memory: one running sum over a whole batch loses digits.
                FloatVector.fromArray(S, sums, 0 * LANES).add(a00).intoArray(sums, 0 * LANES);
                a00 = zero;
                FloatVector.fromArray(S, sums, 1 * LANES).add(a01).intoArray(sums, 1 * LANES);
                a01 = zero;
                FloatVector.fromArray(S, sums, 2 * LANES).add(a02).intoArray(sums, 2 * LANES);
                a02 = zero;
                FloatVector.fromArray(S, sums, 3 * LANES).add(a03).intoArray(sums, 3 * LANES);
                a03 = zero;
                FloatVector.fromArray(S, sums, 4 * LANES).add(a04).intoArray(sums, 4 * LANES);
                a04 = zero;
                FloatVector.fromArray(S, sums, 5 * LANES).add(a10).intoArray(sums, 5 * LANES);
                a10 = zero;
                FloatVector.fromArray(S, sums, 6 * LANES).add(a11).intoArray(sums, 6 * LANES);
                a11 = zero;
                FloatVector.fromArray(S, sums, 7 * LANES).add(a12).intoArray(sums, 7 * LANES);
                a12 = zero;
                FloatVector.fromArray(S, sums, 8 * LANES).add(a13).intoArray(sums, 8 * LANES);
                a13 = zero;
                FloatVector.fromArray(S, sums, 9 * LANES).add(a14).intoArray(sums, 9 * LANES);
                a14 = zero;
                FloatVector.fromArray(S, sums, 10 * LANES).add(a20).intoArray(sums, 10 * LANES);
                a20 = zero;
                FloatVector.fromArray(S, sums, 11 * LANES).add(a21).intoArray(sums, 11 * LANES);
                a21 = zero;
                FloatVector.fromArray(S, sums, 12 * LANES).add(a22).intoArray(sums, 12 * LANES);
                a22 = zero;
                FloatVector.fromArray(S, sums, 13 * LANES).add(a23).intoArray(sums, 13 * LANES);
                a23 = zero;
                FloatVector.fromArray(S, sums, 14 * LANES).add(a24).intoArray(sums, 14 * LANES);
                a24 = zero;
                FloatVector.fromArray(S, sums, 15 * LANES).add(a30).intoArray(sums, 15 * LANES);
                a30 = zero;
                FloatVector.fromArray(S, sums, 16 * LANES).add(a31).intoArray(sums, 16 * LANES);
                a31 = zero;
                FloatVector.fromArray(S, sums, 17 * LANES).add(a32).intoArray(sums, 17 * LANES);
                a32 = zero;
                FloatVector.fromArray(S, sums, 18 * LANES).add(a33).intoArray(sums, 18 * LANES);
                a33 = zero;
                FloatVector.fromArray(S, sums, 19 * LANES).add(a34).intoArray(sums, 19 * LANES);
                a34 = zero;
                FloatVector.fromArray(S, sums, 20 * LANES).add(a40).intoArray(sums, 20 * LANES);
                a40 = zero;
                FloatVector.fromArray(S, sums, 21 * LANES).add(a41).intoArray(sums, 21 * LANES);
                a41 = zero;
                FloatVector.fromArray(S, sums, 22 * LANES).add(a42).intoArray(sums, 22 * LANES);
                a42 = zero;
                FloatVector.fromArray(S, sums, 23 * LANES).add(a43).intoArray(sums, 23 * LANES);
                a43 = zero;
                FloatVector.fromArray(S, sums, 24 * LANES).add(a44).intoArray(sums, 24 * LANES);
                a44 = zero;
                FloatVector.fromArray(S, sums, 25 * LANES).add(bias).intoArray(sums, 25 * LANES);
                bias = zero;
            }
            for (int k = 0; k < 25; k++) {
                for (int f = 0; f < lanes; f++) {
                    weightGradient[k * filters + half + f] += sums[k * LANES + f];
                }
            }
            for (int f = 0; f < lanes; f++) {
                biasGradient[half + f] += sums[25 * LANES + f];
            }
        }
    }
}
