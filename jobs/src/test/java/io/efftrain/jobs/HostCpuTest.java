package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostCpuTest {
    @Test
    void readsTheFirstProcessorsModelFamilyAndVectorWidth() {
        List<String> cpuInfo = List.of(
                "processor\t: 0",
                "vendor_id\t: AuthenticAMD",
                "cpu family\t: 25",
                "model\t\t: 17",
                "model name\t: AMD EPYC",
                "flags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512_bf16",
                "",
                "processor\t: 1",
                "cpu family\t: 99",
                "model name\t: another one",
                "flags\t\t: fpu",
                "");
        HostCpu cpu = HostCpu.parse(cpuInfo, 2);
        assertEquals(new HostCpu("AMD EPYC", "25", "17", true, 2), cpu);
        assertEquals("AMD EPYC (family 25, model 17, AVX-512), 2 processors", cpu.describe());
    }

    @Test
    void avx512NeedsTheFoundationFlagNotJustAnExtensionsName() {
        HostCpu cpu = HostCpu.parse(List.of("model name : X", "flags : avx2 avx512_vnni_like"), 4);
        assertFalse(cpu.avx512());
        assertEquals("unknown", cpu.family());
    }

    @Test
    void thisMachineAlwaysHasAnAnswer() {
        HostCpu cpu = HostCpu.ofThisMachine();
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.processors());
        assertTrue(!cpu.model().isBlank());
    }
}
