// Philox4x32-10 random numbers, bit for bit as dev.clgrad.spi.Philox specifies: work-item j
// computes counter group g = offset + j under key (lo32(seed), hi32(seed)) and writes the
// elements of group j into a contiguous destination. Built once per device (USE_FP64 adds the
// float64 kernels and computes Box-Muller in double, as the specification does).
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
// Java never fuses a*b+c into one rounding; neither may we, or the streams would differ.
#pragma OPENCL FP_CONTRACT OFF

inline uint4 philox(ulong g, uint k0, uint k1) {
    uint c0 = (uint)g, c1 = (uint)(g >> 32), c2 = 0, c3 = 0;
    for (int round = 0; round < 10; round++) {
        uint hi0 = mul_hi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint hi1 = mul_hi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint n0 = hi1 ^ c1 ^ k0;
        uint n2 = hi0 ^ c3 ^ k1;
        c1 = lo1;
        c3 = lo0;
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return (uint4)(c0, c1, c2, c3);
}

__kernel void uniform_f32(__global float* dst, long dof, long n, ulong seed, ulong offset) {
    long j = get_global_id(0);
    long first = j * 4;
    if (first >= n) {
        return;
    }
    uint4 w = philox(offset + j, (uint)seed, (uint)(seed >> 32));
    uint words[4] = {w.x, w.y, w.z, w.w};
    for (int e = 0; e < 4 && first + e < n; e++) {
        dst[dof + first + e] = (float)(words[e] >> 8) * 0x1p-24f;
    }
}

#ifdef USE_FP64
__kernel void uniform_f64(__global double* dst, long dof, long n, ulong seed, ulong offset) {
    long j = get_global_id(0);
    long first = j * 2;
    if (first >= n) {
        return;
    }
    uint4 w = philox(offset + j, (uint)seed, (uint)(seed >> 32));
    dst[dof + first] = (double)((((ulong)w.y << 32) | w.x) >> 11) * 0x1p-53;
    if (first + 1 < n) {
        dst[dof + first + 1] = (double)((((ulong)w.w << 32) | w.z) >> 11) * 0x1p-53;
    }
}
#define REAL double
#define PI_R M_PI
#else
#define REAL float
#define PI_R M_PI_F
#endif

// Box-Muller pair h of a group: u1 in (0, 1], u2 in [0, 1)
inline void box_muller(uint w0, uint w1, REAL* a, REAL* b) {
    REAL u1 = ((REAL)w0 + (REAL)1) * (REAL)0x1p-32;
    REAL u2 = (REAL)w1 * (REAL)0x1p-32;
    REAL r = sqrt((REAL)-2 * log(u1));
    REAL t = (REAL)2 * PI_R * u2;
    *a = r * cos(t);
    *b = r * sin(t);
}

#define DEFINE_NORMAL(tn, T)                                                                     \
__kernel void normal_##tn(__global T* dst, long dof, long n, ulong seed, ulong offset) {       \
    long j = get_global_id(0);                                                                  \
    long first = j * 4;                                                                         \
    if (first >= n) {                                                                           \
        return;                                                                                 \
    }                                                                                           \
    uint4 w = philox(offset + j, (uint)seed, (uint)(seed >> 32));                               \
    REAL v[4];                                                                                  \
    box_muller(w.x, w.y, &v[0], &v[1]);                                                         \
    box_muller(w.z, w.w, &v[2], &v[3]);                                                         \
    for (int e = 0; e < 4 && first + e < n; e++) {                                              \
        dst[dof + first + e] = (T)v[e];                                                         \
    }                                                                                           \
}

DEFINE_NORMAL(f32, float)
#ifdef USE_FP64
DEFINE_NORMAL(f64, double)
#endif
