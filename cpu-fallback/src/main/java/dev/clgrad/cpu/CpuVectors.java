package dev.clgrad.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the CPU backend runs its Vector API kernels ({@link VectorKernels}): the JVM was started
 * with {@code --add-modules jdk.incubator.vector} (the build, tests, examples and benchmarks do it),
 * its preferred vectors hold at least 4 doubles (AVX2, AVX-512, SVE), and {@code -Dclgrad.vector}
 * is not {@code off}. Otherwise the scalar kernels run, with the same results, and one INFO line
 * says why and how to enable the fast path.
 *
 * <p>{@link VectorKernels} is loaded only when this says yes, so a JVM without the module never
 * resolves a class of it.
 */
final class CpuVectors {
    private static final Logger LOG = LoggerFactory.getLogger(CpuVectors.class);

    /** Whether the Vector API kernels run. */
    static final boolean ENABLED = decide();

    private CpuVectors() {
    }

    private static boolean decide() {
        if ("off".equalsIgnoreCase(System.getProperty("clgrad.vector", "").trim())) {
            LOG.info("clgrad cpu: Vector API kernels off (-Dclgrad.vector=off); the scalar kernels run");
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.info("clgrad cpu: the scalar kernels run because this JVM lacks the Java Vector API; start it with "
                    + "--add-modules jdk.incubator.vector for vectorised sums and matrix products (the same results)");
            return false;
        }
        int lanes = VectorKernels.doubleLanes();
        if (lanes < 4) {
            LOG.info("clgrad cpu: the scalar kernels run because this CPU's vectors hold {} double(s), fewer than 4",
                    lanes);
            return false;
        }
        return true;
    }
}
