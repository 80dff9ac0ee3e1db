package dev.clgrad.opencl;

import dev.clgrad.spi.DeviceInfo;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;

/** What the driver reports about one device, read once when the device is opened. */
final class ClDeviceQuery {
    private final cl_device_id device;
    private final DeviceInfo info;
    private final long maxAllocBytes;
    private final long maxParameterBytes;
    private final String platformVersion;
    private final boolean correctlyRoundedDivideSqrt;

    ClDeviceQuery(cl_platform_id platform, cl_device_id device) {
        this.device = device;
        long type = longInfo(CL.CL_DEVICE_TYPE);
        DeviceInfo.Type t = (type & CL.CL_DEVICE_TYPE_GPU) != 0 ? DeviceInfo.Type.GPU
                : (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? DeviceInfo.Type.CPU
                : (type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? DeviceInfo.Type.ACCELERATOR : DeviceInfo.Type.OTHER;
        String extensions = stringInfo(CL.CL_DEVICE_EXTENSIONS);
        boolean fp64 = extensions.contains("cl_khr_fp64");
        this.info = new DeviceInfo(stringInfo(CL.CL_DEVICE_NAME).trim(), stringInfo(CL.CL_DEVICE_VENDOR).trim(),
                stringInfo(CL.CL_DRIVER_VERSION).trim(), t, longInfo(CL.CL_DEVICE_GLOBAL_MEM_SIZE), fp64,
                (int) intInfo(CL.CL_DEVICE_MAX_COMPUTE_UNITS));
        this.maxAllocBytes = longInfo(CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.maxParameterBytes = sizeInfo(CL.CL_DEVICE_MAX_PARAMETER_SIZE);
        this.correctlyRoundedDivideSqrt = (longInfo(CL.CL_DEVICE_SINGLE_FP_CONFIG)
                & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        byte[] pv = new byte[256];
        long[] size = new long[1];
        ClStatus.check(CL.clGetPlatformInfo(platform, CL.CL_PLATFORM_VERSION, pv.length, Pointer.to(pv), size),
                "clGetPlatformInfo", "CL_PLATFORM_VERSION");
        this.platformVersion = new String(pv, 0, (int) Math.max(0, size[0] - 1), StandardCharsets.UTF_8);
    }

    DeviceInfo info() {
        return info;
    }

    long maxAllocBytes() {
        return maxAllocBytes;
    }

    /** CL_DEVICE_MAX_PARAMETER_SIZE: the bytes all arguments of one kernel may take. */
    long maxParameterBytes() {
        return maxParameterBytes;
    }

    String platformVersion() {
        return platformVersion;
    }

    boolean correctlyRoundedDivideSqrt() {
        return correctlyRoundedDivideSqrt;
    }

    private long longInfo(int param) {
        long[] v = new long[1];
        ClStatus.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo",
                "parameter " + param);
        return v[0];
    }

    private long sizeInfo(int param) {
        long[] v = new long[1];
        ClStatus.check(CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo",
                "parameter " + param);
        return Sizeof.size_t == 4 ? v[0] & 0xFFFFFFFFL : v[0];
    }

    private long intInfo(int param) {
        int[] v = new int[1];
        ClStatus.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo",
                "parameter " + param);
        return v[0] & 0xFFFFFFFFL;
    }

    private String stringInfo(int param) {
        long[] size = new long[1];
        ClStatus.check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo", "parameter " + param);
        byte[] b = new byte[(int) size[0]];
        ClStatus.check(CL.clGetDeviceInfo(device, param, b.length, Pointer.to(b), null), "clGetDeviceInfo",
                "parameter " + param);
        return new String(b, 0, Math.max(0, b.length - 1), StandardCharsets.UTF_8);
    }
}
