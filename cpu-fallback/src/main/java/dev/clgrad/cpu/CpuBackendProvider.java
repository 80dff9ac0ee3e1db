package dev.clgrad.cpu;

import dev.clgrad.spi.BackendProvider;
import java.util.List;

/**
 * Provides the pure-Java CPU backend: family {@code cpu}, always exactly one device
 * ({@code cpu:0}), and the lowest preference (priority 100) so that any GPU family wins the
 * default device when it finds one.
 */
public final class CpuBackendProvider implements BackendProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public CpuBackendProvider() {
    }

    /** {@code cpu}. */
    @Override
    public String family() {
        return "cpu";
    }

    /** 100: chosen as the default device only when no other family has one. */
    @Override
    public int priority() {
        return 100;
    }

    /** One {@link CpuBackend} over all available processors; never fails. */
    @Override
    public Discovery discover() {
        return Discovery.of(List.of(new CpuBackend()));
    }
}
