package dev.clgrad.opencl;

import dev.clgrad.spi.Backend;
import dev.clgrad.spi.BackendProvider;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Provides the OpenCL devices: family {@code opencl}, every device of every platform in
 * platform order, numbered {@code opencl:0}, {@code opencl:1}, ... Preferred over the CPU
 * backend (priority 10). When the OpenCL library cannot be loaded or no platform or device
 * exists, discovery returns no devices and says why; a device that fails to open is skipped
 * with a WARN line naming it.
 */
public final class ClBackendProvider implements BackendProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ClBackendProvider.class);
    /** {@code CL_PLATFORM_NOT_FOUND_KHR}: the ICD loader found no driver. */
    private static final int PLATFORM_NOT_FOUND = -1001;
    private static final String INSTALL = "install an OpenCL driver and the ICD loader's " + ClLibrary.NAME
            + " (Debian/Ubuntu: pocl-opencl-icd ocl-icd-opencl-dev; see the README)";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public ClBackendProvider() {
    }

    /** {@code opencl}. */
    @Override
    public String family() {
        return "opencl";
    }

    /** 10: ahead of the CPU backend. */
    @Override
    public int priority() {
        return 10;
    }

    /** Opens every OpenCL device with the strategy {@code -Dclgrad.opencl.strategy} asks for, if any. */
    @Override
    public Discovery discover() {
        return discover(ClStrategy.requested(), ClProgramCache.defaultDiskDir());
    }

    /**
     * Opens every OpenCL device with the given kernel strategy (null: by device type) and program
     * cache folder (null: none). Tests use this to run the GPU kernels on a CPU device.
     */
    public static Discovery discover(ClStrategy strategy, Path cacheDir) {
        if (ClLibrary.searchable() && ClLibrary.locate().isEmpty()) {
            return Discovery.none("the OpenCL library could not be loaded (no loadable " + ClLibrary.NAME
                    + " in LD_LIBRARY_PATH, the ld.so cache or the system library folders); " + INSTALL);
        }
        List<cl_device_id> devices = new ArrayList<>();
        List<cl_platform_id> owners = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(false);
            int[] count = new int[1];
            int status = CL.clGetPlatformIDs(0, null, count);
            if (status == PLATFORM_NOT_FOUND || (status == CL.CL_SUCCESS && count[0] == 0)) {
                return Discovery.none("no OpenCL platform: the ICD loader found no driver registered in "
                        + "/etc/OpenCL/vendors (install one, e.g. pocl-opencl-icd; see the README)");
            }
            ClStatus.check(status, "clGetPlatformIDs", "counting platforms");
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            ClStatus.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", "listing");
            for (cl_platform_id p : platforms) {
                int[] n = new int[1];
                int st = CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
                if (st == CL.CL_DEVICE_NOT_FOUND || n[0] == 0) {
                    continue;
                }
                ClStatus.check(st, "clGetDeviceIDs", "counting devices");
                cl_device_id[] ds = new cl_device_id[n[0]];
                ClStatus.check(CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, ds.length, ds, null), "clGetDeviceIDs",
                        "listing devices");
                for (cl_device_id d : ds) {
                    devices.add(d);
                    owners.add(p);
                }
            }
        } catch (LinkageError e) {
            return Discovery.none("the OpenCL library could not be loaded (" + e.getMessage() + "); " + INSTALL);
        } catch (ClException e) {
            return Discovery.none("OpenCL device discovery failed: " + e.getMessage());
        }
        if (devices.isEmpty()) {
            return Discovery.none("the OpenCL platforms present report no device");
        }
        List<Backend> opened = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean chaining = ClSignals.chainingActive();
        for (int i = 0; i < devices.size(); i++) {
            String name = "opencl:" + opened.size();
            String platform = platformName(owners.get(i));
            if (!chaining && platform.contains("Portable Computing Language")) {
                failures.add("PoCL (" + platform + ") replaces the JVM's SIGSEGV/SIGBUS/SIGILL handlers with LLVM's "
                        + "when it opens a device, which crashes the JVM at random; to use it, " + ClSignals.remedy());
                continue;
            }
            try {
                ClDeviceQuery q = new ClDeviceQuery(owners.get(i), devices.get(i));
                opened.add(new ClBackend(name, devices.get(i), q, strategy, cacheDir));
            } catch (ClException e) {
                failures.add("device " + i + ": " + e.getMessage());
            }
        }
        if (!opened.isEmpty() && !chaining) {
            List<String> replaced = ClSignals.replacedHandlers();
            if (!replaced.isEmpty()) {
                LOG.warn("clgrad: the OpenCL driver replaced the JVM's signal handlers ({}); the JVM may crash at "
                        + "random. To prevent it, {}", String.join(", ", replaced), ClSignals.remedy());
            }
        }
        if (!failures.isEmpty() && !opened.isEmpty()) {
            LOG.warn("clgrad skips some OpenCL devices: {}", String.join("; ", failures));
        }
        return opened.isEmpty() ? Discovery.none("no OpenCL device could be opened: " + String.join("; ", failures))
                : Discovery.of(opened);
    }

    private static String platformName(cl_platform_id platform) {
        long[] size = new long[1];
        ClStatus.check(CL.clGetPlatformInfo(platform, CL.CL_PLATFORM_NAME, 0, null, size), "clGetPlatformInfo",
                "CL_PLATFORM_NAME");
        byte[] b = new byte[(int) size[0]];
        ClStatus.check(CL.clGetPlatformInfo(platform, CL.CL_PLATFORM_NAME, b.length, org.jocl.Pointer.to(b), null),
                "clGetPlatformInfo", "CL_PLATFORM_NAME");
        return new String(b, 0, Math.max(0, b.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
