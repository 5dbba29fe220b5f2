package io.efftrain.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which processor a benchmark ran on. The share of the multiply peak and the speed-up factors depend on it, not
 * only on efftrain: on a Zen 5, whose AVX-512 units are a full 512 bits wide, one thread multiplies at about 190
 * GFLOP/s; on a Zen 4, which splits each 512-bit instruction into two 256-bit halves, at about 108, while the
 * Java loops around the multiplies run at much the same speed on both. A bench.json without its processor
 * cannot be compared with another one.
 *
 * @param model the kernel's "model name", or "unknown"
 * @param family "cpu family" (AMD: 25 is Zen 3 and 4, 26 is Zen 5), or "unknown"
 * @param modelNumber "model" within the family, or "unknown"
 * @param avx512 whether the kernel lists the avx512f flag
 * @param processors the processors this JVM may use
 */
public record HostCpu(@JsonProperty("model_name") String model, @JsonProperty("family") String family,
                      @JsonProperty("model") String modelNumber, @JsonProperty("avx512") boolean avx512,
                      @JsonProperty("processors") int processors) {
    private static final String UNKNOWN = "unknown";
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** This machine's processor, from /proc/cpuinfo where there is one (Linux), else what the JVM knows. */
    public static HostCpu ofThisMachine() {
        int processors = Runtime.getRuntime().availableProcessors();
        try {
            return Files.isReadable(CPU_INFO)
                    ? parse(Files.readAllLines(CPU_INFO, StandardCharsets.UTF_8), processors)
                    : unknown(processors);
        } catch (IOException | RuntimeException e) {
            // A report field, not a reason to fail a benchmark that already ran.
            return unknown(processors);
        }
    }

    /** The first processor's fields of a /proc/cpuinfo text (all processors of a machine are alike here). */
    static HostCpu parse(List<String> cpuInfo, int processors) {
        String model = UNKNOWN;
        String family = UNKNOWN;
        String modelNumber = UNKNOWN;
        boolean avx512 = false;
        boolean seenFirst = false;
        for (String line : cpuInfo) {
            if (line.isBlank()) {
                if (seenFirst) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            seenFirst = true;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "model name" -> model = value;
                case "cpu family" -> family = value;
                case "model" -> modelNumber = value;
                case "flags" -> avx512 = Arrays.asList(value.split("\\s+")).contains("avx512f");
                default -> {
                    // other fields are not needed to tell machines apart
                }
            }
        }
        return new HostCpu(model, family, modelNumber, avx512, processors);
    }

    private static HostCpu unknown(int processors) {
        return new HostCpu(UNKNOWN, UNKNOWN, UNKNOWN, false, processors);
    }

    /** The fields as bench.json writes them. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", model);
        out.put("family", family);
        out.put("model", modelNumber);
        out.put("avx512", avx512);
        out.put("processors", processors);
        return out;
    }

    /** One line for the benchmark's printed output. */
    public String describe() {
        return model + " (family " + family + ", model " + modelNumber + (avx512 ? ", AVX-512" : "") + "), "
                + processors + " processors";
    }
}
