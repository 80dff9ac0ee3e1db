// Elementwise primitives, one kernel per op and path: <op>_<dtype> for contiguous operands,
// <op>_strided1_<dtype> for views that merge into one strided dimension (a broadcast scalar,
// a strided slice: no index division), <op>_strided2_<dtype> for two (a broadcast row, a
// transpose: a 2-D range, no division either), and <op>_strided_<dtype> for any strided layout
// (broadcasting is a zero stride).
// Built once per element type: -DT=float -DSFX=f32, -DT=double -DSFX=f64 -DUSE_FP64, and the
// integer builds -DINTEGRAL with -DT=long -DSFX=i64, -DT=uchar -DSFX=u8, and -DT=uchar -DSFX=b8
// -DBOOLEAN (bool: a result is stored as v != 0). Integer builds hold the ops the device
// interface allows on integers; comparisons are built for their inputs' type and write uchar
// (bool); where's condition x0 is uchar.
// Every kernel of one path has the same signature, so one launcher serves them all: out,
// then up to three inputs x0, x1, x2 (unused ones are bound to out and never read), the
// scalar s of the scalar ops (already rounded to T), and the element count n.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// op names are pasted before expansion: several (exp, max, ...) are builtin macros
#define KNAME_(a, b) a##b
#define KNAME(a, b) KNAME_(a, b)

#define ONE ((T)1)
#define ZERO ((T)0)
#ifdef BOOLEAN
#define STORE(v) ((v) != 0 ? (T)1 : (T)0)
#else
#define STORE(v) ((T)(v))
#endif
#ifndef INTEGRAL
// max/min that return NaN when either side is NaN (fmax/fmin ignore NaN)
#define NAN_MAX(a, b) (isnan(a) || isnan(b) ? (a) + (b) : fmax(a, b))
#define NAN_MIN(a, b) (isnan(a) || isnan(b) ? (a) + (b) : fmin(a, b))

// tanh rounds to +-1 in T beyond this (float: past 9.01, double: past 19.06); PoCL's float tanh
// returns 0.99999994 all the way to infinity, which makes tanh's gradient 1.2e-7 instead of 0
#define TANH_SATURATES ((T)(sizeof(T) == 4 ? 9.1f : 19.1f))

// erf to float32 accuracy (absolute error below 2e-7), as the CPU backend's Erf.erfFloat: some
// drivers' float erf costs 17 exps. Below 0.5 the Taylor series to x^13, above it Abramowitz and
// Stegun's 7.1.26. Double keeps the built-in erf.
inline float erf_float(float x) {
    float ax = fabs(x);
    if (ax < 0.5f) {
        float x2 = x * x;
        return 1.1283791670955126f * x * (1.0f + x2 * (-1.0f / 3.0f + x2 * (0.1f + x2 * (-1.0f / 42.0f
                + x2 * (1.0f / 216.0f + x2 * (-1.0f / 1320.0f + x2 * (1.0f / 9360.0f)))))));
    }
    float r = 1.0f;
    if (ax < 6.0f) {
        float t = 1.0f / (1.0f + 0.3275911f * ax);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f
                + t * 1.061405429f))));
        r = 1.0f - poly * exp(-ax * ax);
    }
    return isnan(x) ? x : copysign(r, x);
}
#define ERF_T(v) (sizeof(T) == 4 ? (T)erf_float((float)(v)) : erf(v))
#define GELU_T(v) ((T)0.5 * (v) * (ONE + ERF_T((v) * (T)0.7071067811865476)))
#define GELU_GRAD_T(g, v) ((g) * ((T)0.5 * (ONE + ERF_T((v) * (T)0.7071067811865476)) \
        + (v) * exp((T)-0.5 * (v) * (v)) * (T)0.3989422804014327))
#endif

// The strided index of flat element i: coordinates from the innermost dimension out.
#define MAX_RANK 8

#define DEFINE_KERNELS(op, OT, T0, expr)                                                         \
__kernel void KNAME(op, SFX)(__global OT* out, long oo,                                       \
                              __global const T0* p0, long o0, __global const T* p1, long o1,     \
                              __global const T* p2, long o2, T s, long n) {                      \
    long i = get_global_id(0);                                                                   \
    if (i < n) {                                                                                 \
        T0 x0 = p0[o0 + i];                                                                      \
        T x1 = p1[o1 + i];                                                                       \
        T x2 = p2[o2 + i];                                                                       \
        out[oo + i] = (expr);                                                                    \
    }                                                                                            \
}                                                                                                \
__kernel void KNAME(op##strided1_, SFX)(__global OT* out, long oo, long so,                     \
                              __global const T0* p0, long o0, long s0,                           \
                              __global const T* p1, long o1, long s1,                            \
                              __global const T* p2, long o2, long s2, T s, long n) {             \
    long i = get_global_id(0);                                                                   \
    if (i < n) {                                                                                 \
        T0 x0 = p0[o0 + i * s0];                                                                 \
        T x1 = p1[o1 + i * s1];                                                                  \
        T x2 = p2[o2 + i * s2];                                                                  \
        out[oo + i * so] = (expr);                                                               \
    }                                                                                            \
}                                                                                                \
/* two merged dimensions (a broadcast row or column): a 2-D range, no index division */      \
__kernel void KNAME(op##strided2_, SFX)(__global OT* out, long oo, long so0, long so1,            \
                              __global const T0* p0, long o0, long s00, long s01,               \
                              __global const T* p1, long o1, long s10, long s11,                \
                              __global const T* p2, long o2, long s20, long s21, T s,           \
                              long n0, long n1) {                                               \
    long i1 = get_global_id(0);                                                                 \
    long i0 = get_global_id(1);                                                                 \
    if (i0 < n0 && i1 < n1) {                                                                   \
        T0 x0 = p0[o0 + i0 * s00 + i1 * s01];                                                   \
        T x1 = p1[o1 + i0 * s10 + i1 * s11];                                                    \
        T x2 = p2[o2 + i0 * s20 + i1 * s21];                                                    \
        out[oo + i0 * so0 + i1 * so1] = (expr);                                                 \
    }                                                                                           \
}                                                                                               \
__kernel void KNAME(op##strided_, SFX)(__global OT* out, long oo, long8 so,                     \
                              __global const T0* p0, long o0, long8 s0,                          \
                              __global const T* p1, long o1, long8 s1,                           \
                              __global const T* p2, long o2, long8 s2,                           \
                              long8 shape, int rank, T s, long n) {                              \
    long i = get_global_id(0);                                                                   \
    if (i >= n) {                                                                                \
        return;                                                                                  \
    }                                                                                            \
    long sh[MAX_RANK], sto[MAX_RANK], st0[MAX_RANK], st1[MAX_RANK], st2[MAX_RANK];               \
    vstore8(shape, 0, sh);                                                                       \
    vstore8(so, 0, sto);                                                                         \
    vstore8(s0, 0, st0);                                                                         \
    vstore8(s1, 0, st1);                                                                         \
    vstore8(s2, 0, st2);                                                                         \
    long rest = i;                                                                               \
    for (int d = rank - 1; d > 0; d--) {                                                         \
        long c = rest % sh[d];                                                                   \
        rest /= sh[d];                                                                           \
        oo += c * sto[d];                                                                        \
        o0 += c * st0[d];                                                                        \
        o1 += c * st1[d];                                                                        \
        o2 += c * st2[d];                                                                        \
    }                                                                                            \
    if (rank > 0) { /* the outermost coordinate is what is left */                               \
        oo += rest * sto[0];                                                                     \
        o0 += rest * st0[0];                                                                     \
        o1 += rest * st1[0];                                                                     \
        o2 += rest * st2[0];                                                                     \
    }                                                                                            \
    T0 x0 = p0[o0];                                                                              \
    T x1 = p1[o1];                                                                               \
    T x2 = p2[o2];                                                                               \
    out[oo] = (expr);                                                                            \
}

// op is pasted with its '_' here, before it could expand: abs and sign are macros in some drivers
#define DEFINE_OP(op, expr) DEFINE_KERNELS(op##_, T, T, STORE(expr))
#define DEFINE_CMP(op, expr) DEFINE_KERNELS(op##_, uchar, T, (uchar)((expr) ? 1 : 0))

// defined on every type
DEFINE_OP(neg, -x0)
DEFINE_OP(add_scalar, x0 + s)
DEFINE_OP(mul_scalar, x0 * s)
DEFINE_OP(rsub_scalar, s - x0)
DEFINE_OP(add, x0 + x1)
DEFINE_OP(sub, x0 - x1)
DEFINE_OP(mul, x0 * x1)
DEFINE_CMP(gt_scalar, x0 > s)
DEFINE_CMP(ge_scalar, x0 >= s)
DEFINE_CMP(lt_scalar, x0 < s)
DEFINE_CMP(le_scalar, x0 <= s)
DEFINE_CMP(eq_scalar, x0 == s)
DEFINE_CMP(ne_scalar, x0 != s)
DEFINE_CMP(eq, x0 == x1)
DEFINE_CMP(ne, x0 != x1)
DEFINE_CMP(gt, x0 > x1)
DEFINE_CMP(ge, x0 >= x1)
// ternary: x0 is the (bool) condition
DEFINE_KERNELS(where_, T, uchar, x0 ? x1 : x2)

#ifdef INTEGRAL
DEFINE_OP(abs, x0 < ZERO ? -x0 : x0)
DEFINE_OP(relu, x0 > ZERO ? x0 : ZERO)
DEFINE_OP(sign, x0 > ZERO ? ONE : (x0 < ZERO ? -ONE : ZERO))
DEFINE_OP(clamp_min, x0 > s ? x0 : s)
DEFINE_OP(clamp_max, x0 < s ? x0 : s)
DEFINE_OP(maximum, x0 > x1 ? x0 : x1)
DEFINE_OP(minimum, x0 < x1 ? x0 : x1)
#else
// unary: f(x0)
DEFINE_OP(exp, exp(x0))
DEFINE_OP(log, log(x0))
DEFINE_OP(sqrt, sqrt(x0))
DEFINE_OP(abs, fabs(x0))
DEFINE_OP(sin, sin(x0))
DEFINE_OP(cos, cos(x0))
DEFINE_OP(tanh, fabs(x0) >= TANH_SATURATES ? copysign(ONE, x0) : tanh(x0))
DEFINE_OP(sigmoid, ONE / (ONE + exp(-x0)))
DEFINE_OP(relu, isnan(x0) ? x0 : (x0 > ZERO ? x0 : ZERO))
DEFINE_OP(sign, x0 > ZERO ? ONE : (x0 < ZERO ? -ONE : ZERO))
DEFINE_OP(log1p, log1p(x0))
DEFINE_OP(expm1, expm1(x0))
DEFINE_OP(erf, ERF_T(x0))
DEFINE_OP(gelu, GELU_T(x0))
// unary with the scalar s
DEFINE_OP(div_scalar, x0 / s)
DEFINE_OP(rdiv_scalar, s / x0)
DEFINE_OP(pow_scalar, pow(x0, s))
DEFINE_OP(rpow_scalar, pow(s, x0))
DEFINE_OP(clamp_min, isnan(x0) ? x0 : fmax(x0, s))
DEFINE_OP(clamp_max, isnan(x0) ? x0 : fmin(x0, s))
DEFINE_OP(leaky_relu, x0 > ZERO ? x0 : x0 * s)
// binary: f(x0, x1)
DEFINE_OP(div, x0 / x1)
DEFINE_OP(pow, pow(x0, x1))
DEFINE_OP(maximum, NAN_MAX(x0, x1))
DEFINE_OP(minimum, NAN_MIN(x0, x1))
DEFINE_OP(threshold_backward, x1 <= ZERO ? ZERO : x0)
DEFINE_OP(gelu_backward, GELU_GRAD_T(x0, x1))
// ternary: x0 + (s * x1) op x2, PyTorch's addcmul and addcdiv
DEFINE_OP(addcmul, x0 + s * x1 * x2)
DEFINE_OP(addcdiv, x0 + s * x1 / x2)
#endif
