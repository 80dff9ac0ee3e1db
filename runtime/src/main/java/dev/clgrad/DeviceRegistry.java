package dev.clgrad;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.BackendProvider;
import dev.clgrad.spi.DeviceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Discovers devices once per process and holds the default device. */
final class DeviceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);
    private static volatile DeviceRegistry instance;

    private final List<Device> devices;
    /** Why families found no device (driver missing, signal chaining off, ...), for error messages. */
    private final List<String> unavailable;
    private volatile Device defaultDevice;

    private DeviceRegistry(List<Device> devices, List<String> unavailable, Device defaultDevice) {
        this.devices = devices;
        this.unavailable = unavailable;
        this.defaultDevice = defaultDevice;
    }

    static DeviceRegistry get() {
        DeviceRegistry r = instance;
        if (r == null) {
            synchronized (DeviceRegistry.class) {
                r = instance;
                if (r == null) {
                    r = discover();
                    instance = r;
                }
            }
        }
        return r;
    }

    private static DeviceRegistry discover() {
        List<BackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, DeviceRegistry.class.getClassLoader()).forEach(providers::add);
        providers.sort(Comparator.comparingInt(BackendProvider::priority));
        List<Device> cpu = new ArrayList<>();
        List<Device> accelerated = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (BackendProvider p : providers) {
            BackendProvider.Discovery d;
            try {
                d = p.discover();
            } catch (RuntimeException | LinkageError e) {
                d = BackendProvider.Discovery.none(p.family() + " backend failed to start: " + e);
            }
            if (d.backends().isEmpty()) {
                reasons.add(d.unavailableReason() == null ? p.family() + ": no device" : d.unavailableReason());
            }
            List<Backend> found = d.backends();
            for (int i = 0; i < found.size(); i++) {
                if ("cpu".equals(p.family())) {
                    cpu.add(new Device("cpu", found.get(i)));
                } else {
                    accelerated.add(new Device(p.family() + ":" + i, found.get(i)));
                }
            }
        }
        if (cpu.isEmpty()) {
            throw new IllegalStateException("clgrad found no CPU backend on the classpath; add the dependency "
                    + "dev.clgrad:clgrad-cpu-fallback");
        }
        if (providers.stream().noneMatch(p -> p.family().equals("opencl"))) {
            reasons.add("no OpenCL backend on the classpath (add dev.clgrad:clgrad-kernels)");
        }
        List<Device> all = new ArrayList<>(cpu.subList(0, 1));
        all.addAll(accelerated);
        Device chosen = chooseDefault(all, accelerated, reasons);
        return new DeviceRegistry(List.copyOf(all), List.copyOf(reasons), chosen);
    }

    private static Device chooseDefault(List<Device> all, List<Device> accelerated, List<String> reasons) {
        String requested = System.getProperty("clgrad.device", System.getenv("CLGRAD_DEVICE"));
        if (requested != null && !requested.isBlank()) {
            return find(all, requested.trim(), reasons);
        }
        for (Device d : accelerated) {
            if (d.info().type() == DeviceInfo.Type.GPU) {
                return d;
            }
        }
        if (!accelerated.isEmpty()) {
            return accelerated.get(0);
        }
        LOG.warn("clgrad is using the pure-Java CPU backend because no OpenCL device is available: {}",
                String.join("; ", reasons));
        return all.get(0);
    }

    /**
     * The device called {@code name}; when there is none, an error that names the devices present
     * and why the others are missing (the reasons discovery gave: no driver, no signal chaining...).
     */
    private static Device find(List<Device> all, String name, List<String> unavailable) {
        Checks.notNull(name, "Device.of", "name");
        String wanted = name.equals("opencl") ? "opencl:0" : name;
        for (Device d : all) {
            if (d.name().equals(wanted)) {
                return d;
            }
        }
        String present = all.stream().map(Device::name).collect(Collectors.joining(", "));
        String why = unavailable.isEmpty() ? "see the README for drivers" : String.join("; ", unavailable);
        throw new IllegalArgumentException("no device named '" + name + "'; devices present: " + present
                + (!wanted.startsWith("opencl") ? " (devices are named cpu, opencl or opencl:N)"
                : all.stream().anyMatch(d -> d.name().startsWith("opencl")) ? ""
                : ". No OpenCL device is available because: " + why));
    }

    Device byName(String name) {
        return find(devices, name, unavailable);
    }

    List<Device> all() {
        return devices;
    }

    Device getDefault() {
        return defaultDevice;
    }

    void setDefault(Device device) {
        if (device == null || !devices.contains(device)) {
            throw new IllegalArgumentException("setDefault: " + device + " is not one of the devices present: "
                    + devices);
        }
        defaultDevice = device;
    }
}
