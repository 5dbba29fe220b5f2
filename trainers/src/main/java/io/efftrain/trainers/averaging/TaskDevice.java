package io.efftrain.trainers.averaging;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds the current Spark task's thread to the GPU Spark assigned to the task
 * ({@code spark.task.resource.gpu.amount}); without it every task of an executor would share device 0.
 * On the CPU backend, or outside a task, or without GPU resources, it does nothing.
 */
public final class TaskDevice {
    private TaskDevice() {
    }

    /** Binds this thread to the task's first assigned GPU, if any; returns the device id or -1. */
    public static int bindToAssignedGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return -1;
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0 || Nd4j.getAffinityManager().getNumberOfDevices() <= 1) {
            return -1;
        }
        int device = Integer.parseInt(gpu.addresses()[0].trim());
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return device;
    }
}
