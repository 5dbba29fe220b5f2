package io.efftrain.trainers.engine;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Moves float32 values between ND4J arrays and Java arrays with bulk copies. On the CPU backend an array's
 * buffer is host memory, so {@link java.nio.FloatBuffer} views reach it without a copy. Public for the trainer's
 * minibatch and parameter copies ({@link #inHostMemory}); the rest serves the fast CPU layers.
 */
public final class HostBuffers {
    private HostBuffers() {
    }

    /**
     * Refuses to build {@code what} on any backend but the CPU: its Java loops read device memory as if it were
     * host memory. Executors rebuild networks from their JSON, so a model configured for the fast CPU path on a
     * CPU driver would otherwise train wrong, silently, on GPU executors.
     */
    static void requireCpuBackend(String what) {
        if (!Nd4j.getEnvironment().isCPU()) {
            throw new IllegalStateException(what + " (efftrain's fast CPU path) runs on nd4j's CPU backend only, but "
                    + "this JVM runs " + Nd4j.getBackend().getClass().getSimpleName() + "; train for GPU executors "
                    + "with model.kernels = dl4j (auto decides on the driver, which may not have a GPU)");
        }
    }

    /**
     * Whether {@code array}'s values are contiguous row-major float32 in host memory, where {@link #read} and
     * {@link #write} copy them in bulk. Not on a GPU backend: there a bulk copy would bypass the device copy.
     */
    public static boolean inHostMemory(INDArray array) {
        return Nd4j.getEnvironment().isCPU() && isRowMajor(array);
    }

    /** {@code length} values of {@code array} in row-major order, from value {@code from}, into {@code target}. */
    static void read(INDArray array, long from, float[] target, int length) {
        INDArray source = rowMajor(array);
        source.data().asNioFloat().get((int) (source.offset() + from), target, 0, length);
    }

    /** All values of {@code array} up to {@code length}, in row-major order, into {@code target}. */
    public static void read(INDArray array, float[] target, int length) {
        read(array, 0, target, length);
    }

    /** Writes {@code length} values of {@code source} into the contiguous row-major {@code array} at {@code at}. */
    public static void write(float[] source, long at, int length, INDArray array) {
        values(array).put((int) at, source, 0, length);
    }

    /**
     * The values of the contiguous row-major float {@code array} as a buffer indexed from its first value (a view
     * of its host memory, no copy), for loops that move many small runs in and out of it.
     */
    static FloatBuffer values(INDArray array) {
        INDArray matrix = contiguous(array);
        return matrix.data().asNioFloat().position((int) matrix.offset()).slice();
    }

    /**
     * Splits rows {@code [firstRow, firstRow + rows)} of a row-major matrix ({@code values}, see {@link #values})
     * into {@code parts.length} runs of {@code width} values: run {@code p} of row {@code firstRow + r} goes to
     * {@code parts[p][r * width]}. The rows come over in bulk through {@code scratch} (at least one row long), and
     * the runs are split off on the Java side: a buffer copy per run cost 4 to 5x more (measured at the LeNet's
     * 73,728 runs of 20 values per step).
     */
    static void splitColumns(FloatBuffer values, int firstRow, int rows, int width, float[][] parts,
                             float[] scratch) {
        int rowLength = width * parts.length;
        int rowsPerPass = scratch.length / rowLength;
        for (int first = 0; first < rows; first += rowsPerPass) {
            int count = Math.min(rowsPerPass, rows - first);
            values.get((firstRow + first) * rowLength, scratch, 0, count * rowLength);
            for (int part = 0; part < parts.length; part++) {
                float[] target = parts[part];
                for (int row = 0, from = part * width; row < count; row++, from += rowLength) {
                    System.arraycopy(scratch, from, target, (first + row) * width, width);
                }
            }
        }
    }

    /** The inverse of {@link #splitColumns}: the parts' runs {@code r} become row {@code firstRow + r}. */
    static void joinColumns(float[][] parts, int firstRow, int rows, int width, FloatBuffer values,
                            float[] scratch) {
        int rowLength = width * parts.length;
        int rowsPerPass = scratch.length / rowLength;
        for (int first = 0; first < rows; first += rowsPerPass) {
            int count = Math.min(rowsPerPass, rows - first);
            for (int part = 0; part < parts.length; part++) {
                float[] source = parts[part];
                for (int row = 0, to = part * width; row < count; row++, to += rowLength) {
                    System.arraycopy(source, (first + row) * width, scratch, to, width);
                }
            }
            values.put((firstRow + first) * rowLength, scratch, 0, count * rowLength);
        }
    }

    private static INDArray contiguous(INDArray array) {
        if (!isRowMajor(array)) {
            throw new IllegalArgumentException("not a contiguous row-major float array: " + array.shapeInfoToString());
        }
        return array;
    }

    /** A row-major float matrix outside every workspace, kept across minibatches. */
    public static INDArray detached(long rows, long columns) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitializedDetached(DataType.FLOAT, rows, columns);
        }
    }

    /**
     * The number of examples in {@code input} (rows), refused with a clear error when {@code valuesPerExample}
     * values each would not fit one Java array: the fast kernels keep a whole minibatch in host arrays.
     */
    static int examples(INDArray input, long valuesPerExample, String layer) {
        long examples = input.size(0);
        long most = (Integer.MAX_VALUE - 16) / Math.max(1, valuesPerExample);
        if (examples > most) {
            throw new IllegalArgumentException(layer + " takes at most " + most + " examples per call ("
                    + valuesPerExample + " values each must fit one Java array), but was given " + examples
                    + "; score or train in smaller batches");
        }
        return (int) examples;
    }

    /** The first {@code count} rows of a row-major matrix, as a view (the matrix itself when it has no more). */
    static INDArray leadingRows(INDArray matrix, long count) {
        return count == matrix.rows() ? matrix : matrix.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
    }

    private static INDArray rowMajor(INDArray array) {
        INDArray floats = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
        return isRowMajor(floats) ? floats : floats.dup('c');
    }

    private static boolean isRowMajor(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            return false;
        }
        return array.isVector() ? array.elementWiseStride() == 1
                : array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }
}
