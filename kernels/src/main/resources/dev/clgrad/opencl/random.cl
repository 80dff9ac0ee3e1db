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

// Java's StrictMath.log, sin and cos are fdlibm 5.3; OpenCL's builtins may be off by a few ulp
// and differ from them in the last bit. These are fdlibm's algorithms for the arguments
// Box-Muller passes (log: [2^-32, 1]; sin, cos: [0, 2 pi)), each operation in fdlibm's order
// so every rounding is the same. Division and sqrt are correctly rounded in OpenCL double.

inline int high_word(double x) {
    return (int)(as_ulong(x) >> 32);
}

inline double with_high_word(double x, int hi) {
    return as_double(((ulong)(uint)hi << 32) | (as_ulong(x) & 0xFFFFFFFFul));
}

// fdlibm e_log.c for normal x > 0: x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2), and
// log(1 + f) = f - s (f - R(s)) with s = f / (2 + f) and R a degree-14 minimax polynomial.
inline double strict_log(double x) {
    const double ln2_hi = 0x1.62e42feep-1;        // k * ln2_hi is exact for |k| < 2000
    const double ln2_lo = 0x1.a39ef35793c76p-33;  // ln 2 - ln2_hi
    const double lg1 = 0x1.5555555555593p-1, lg2 = 0x1.999999997fa04p-2, lg3 = 0x1.2492494229359p-2,
                 lg4 = 0x1.c71c51d8e78afp-3, lg5 = 0x1.7466496cb03dep-3, lg6 = 0x1.39a09d078c69fp-3,
                 lg7 = 0x1.2f112df3e5244p-3;
    int hx = high_word(x);
    int k = (hx >> 20) - 1023;
    int mantissa_hi = hx & 0x000fffff;
    // 0x100000 when the significand is above sqrt(2): halve it (exponent field 0x3fe) and add 1 to k
    int above_sqrt2 = (mantissa_hi + 0x95f64) & 0x100000;
    double m = with_high_word(x, mantissa_hi | (above_sqrt2 ^ 0x3ff00000));
    k += above_sqrt2 >> 20;
    double f = m - 1.0;
    double dk = (double)k;
    if ((0x000fffff & (2 + mantissa_hi)) < 3) {  // |f| < 2^-20: a short series is exact enough
        if (f == 0.0) {
            return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
        }
        double r = f * f * (0.5 - 0x1.5555555555555p-2 * f);
        return k == 0 ? f - r : dk * ln2_hi - ((r - dk * ln2_lo) - f);
    }
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double odd = w * (lg2 + w * (lg4 + w * lg6));
    double even = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
    double r = even + odd;
    // fdlibm switches to the f^2/2 form, which loses less, when the significand is outside
    // [1 + 0x6147a * 2^-20, 1 + 0x6b851 * 2^-20)
    if (((mantissa_hi - 0x6147a) | (0x6b851 - mantissa_hi)) > 0) {
        double hfsq = 0.5 * f * f;
        return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * ln2_hi - ((hfsq - (s * (hfsq + r) + dk * ln2_lo)) - f);
    }
    return k == 0 ? f - s * (f - r) : dk * ln2_hi - ((s * (f - r) - dk * ln2_lo) - f);
}

// fdlibm k_sin.c: sin(x + y) for |x| <= pi/4, y the tail of a reduced argument (has_tail: y != 0)
inline double kernel_sin(double x, double y, bool has_tail) {
    const double s1 = -0x1.5555555555549p-3, s2 = 0x1.111111110f8a6p-7, s3 = -0x1.a01a019c161d5p-13,
                 s4 = 0x1.71de357b1fe7dp-19, s5 = -0x1.ae5e68a2b9cebp-26, s6 = 0x1.5d93a5acfd57cp-33;
    if ((high_word(x) & 0x7fffffff) < 0x3e400000) {  // |x| < 2^-27: sin x rounds to x
        return x;
    }
    double z = x * x;
    double v = z * x;
    double r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)));
    if (!has_tail) {
        return x + v * (s1 + z * r);
    }
    return x - ((z * (0.5 * y - v * r) - y) - v * s1);
}

// fdlibm k_cos.c: cos(x + y) for |x| <= pi/4, y the tail of a reduced argument
inline double kernel_cos(double x, double y) {
    const double c1 = 0x1.555555555554cp-5, c2 = -0x1.6c16c16c15177p-10, c3 = 0x1.a01a019cb159p-16,
                 c4 = -0x1.27e4f809c52adp-22, c5 = 0x1.1ee9ebdb4b1c4p-29, c6 = -0x1.8fae9be8838d4p-37;
    int ix = high_word(x) & 0x7fffffff;
    if (ix < 0x3e400000) {  // |x| < 2^-27: cos x rounds to 1
        return 1.0;
    }
    double z = x * x;
    double r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))));
    if (ix < 0x3fd33333) {  // |x| < 0.3
        return 1.0 - (0.5 * z - (z * r - x * y));
    }
    // 1 - x^2/2 as (1 - qx) - (x^2/2 - qx), both exact, with qx about |x|/4 (its high word only)
    double qx = ix > 0x3fe90000 ? 0.28125 : as_double((ulong)(uint)(ix - 0x00200000) << 32);
    double hz = 0.5 * z - qx;
    double a = 1.0 - qx;
    return a - (hz - (z * r - x * y));
}

// High words of n pi/2 for n = 1..4: an argument sharing one may lose many bits to cancellation.
__constant int half_pi_multiple_high_words[4] = {0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb};

// fdlibm e_rem_pio2.c for pi/4 < x < 2 pi: returns n with x - n pi/2 = *head + *tail in
// [-pi/4, pi/4], pi/2 split into 33-bit pieces so that fn * piece is exact.
inline int reduce_half_pi(double x, double* head, double* tail) {
    const double two_over_pi = 0x1.45f306dc9c883p-1;
    const double pio2_1 = 0x1.921fb544p0, pio2_1t = 0x1.0b4611a626331p-34;   // first 33 bits, rest
    const double pio2_2 = 0x1.0b4611a6p-34, pio2_2t = 0x1.3198a2e037073p-69;  // second 33 bits, rest
    const double pio2_3 = 0x1.3198a2ep-69, pio2_3t = 0x1.b839a252049c1p-104;  // third 33 bits, rest
    int ix = high_word(x);
    if (ix < 0x4002d97c) {  // x < 3 pi/4: n = 1
        double z = x - pio2_1;
        if (ix != 0x3ff921fb) {
            *head = z - pio2_1t;
            *tail = (z - *head) - pio2_1t;
        } else {  // near pi/2: 33 + 53 bits of pi/2 are not enough
            z -= pio2_2;
            *head = z - pio2_2t;
            *tail = (z - *head) - pio2_2t;
        }
        return 1;
    }
    int n = (int)(x * two_over_pi + 0.5);
    double fn = (double)n;
    double r = x - fn * pio2_1;
    double w = fn * pio2_1t;  // good to 85 bits
    *head = r - w;
    if (ix == half_pi_multiple_high_words[n - 1]) {
        int exponent = ix >> 20;
        if (exponent - ((high_word(*head) >> 20) & 0x7ff) > 16) {  // second step, good to 118 bits
            double t = r;
            w = fn * pio2_2;
            r = t - w;
            w = fn * pio2_2t - ((t - r) - w);
            *head = r - w;
            if (exponent - ((high_word(*head) >> 20) & 0x7ff) > 49) {  // third step, 151 bits
                t = r;
                w = fn * pio2_3;
                r = t - w;
                w = fn * pio2_3t - ((t - r) - w);
                *head = r - w;
            }
        }
    }
    *tail = (r - *head) - w;
    return n;
}

// StrictMath.sin(x) and StrictMath.cos(x) for 0 <= x < 2 pi, sharing one argument reduction
// (each of fdlibm's s_sin.c and s_cos.c reduces the same x to the same head and tail).
inline void strict_sincos(double x, double* sin_x, double* cos_x) {
    if (high_word(x) <= 0x3fe921fb) {  // x <= pi/4
        *sin_x = kernel_sin(x, 0.0, false);
        *cos_x = kernel_cos(x, 0.0);
        return;
    }
    double head, tail;
    int n = reduce_half_pi(x, &head, &tail);
    double s = kernel_sin(head, tail, true);
    double c = kernel_cos(head, tail);
    switch (n & 3) {
    case 0: *sin_x = s; *cos_x = c; break;
    case 1: *sin_x = c; *cos_x = -s; break;
    case 2: *sin_x = -s; *cos_x = -c; break;
    default: *sin_x = -c; *cos_x = s; break;
    }
}

// Box-Muller pair h of a group: u1 in (0, 1], u2 in [0, 1), exactly as Philox.groupValues
inline void box_muller(uint w0, uint w1, double* a, double* b) {
    double u1 = ((double)w0 + 1.0) * 0x1p-32;
    double u2 = (double)w1 * 0x1p-32;
    double r = sqrt(-2.0 * strict_log(u1));
    double t = 2.0 * M_PI * u2;
    double sin_t, cos_t;
    strict_sincos(t, &sin_t, &cos_t);
    *a = r * cos_t;
    *b = r * sin_t;
}
#else
#define REAL float

// Without float64 the stream is only close to the specification: float builtins, float rounding.
inline void box_muller(uint w0, uint w1, float* a, float* b) {
    float u1 = ((float)w0 + 1.0f) * 0x1p-32f;
    float u2 = (float)w1 * 0x1p-32f;
    float r = sqrt(-2.0f * log(u1));
    float t = 2.0f * M_PI_F * u2;
    *a = r * cos(t);
    *b = r * sin(t);
}
#endif

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
