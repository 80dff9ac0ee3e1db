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
#include "ops.cl"

// op names are pasted before expansion: several (exp, max, ...) are builtin macros
#define KNAME_(a, b) a##b
#define KNAME(a, b) KNAME_(a, b)

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
#define DEFINE_OP(op) DEFINE_KERNELS(op##_, T, T, STORE(OP_##op(x0, x1, x2, s)))
#define DEFINE_CMP(op) DEFINE_KERNELS(op##_, uchar, T, (uchar)(OP_##op(x0, x1, x2, s) ? 1 : 0))

// defined on every type
DEFINE_OP(neg)
DEFINE_OP(add_scalar)
DEFINE_OP(mul_scalar)
DEFINE_OP(rsub_scalar)
DEFINE_OP(add)
DEFINE_OP(sub)
DEFINE_OP(mul)
DEFINE_CMP(gt_scalar)
DEFINE_CMP(ge_scalar)
DEFINE_CMP(lt_scalar)
DEFINE_CMP(le_scalar)
DEFINE_CMP(eq_scalar)
DEFINE_CMP(ne_scalar)
DEFINE_CMP(eq)
DEFINE_CMP(ne)
DEFINE_CMP(gt)
DEFINE_CMP(ge)
// ternary: x0 is the (bool) condition
DEFINE_KERNELS(where_, T, uchar, OP_where(x0, x1, x2, s))

#ifdef INTEGRAL
DEFINE_OP(abs)
DEFINE_OP(relu)
DEFINE_OP(sign)
DEFINE_OP(clamp_min)
DEFINE_OP(clamp_max)
DEFINE_OP(maximum)
DEFINE_OP(minimum)
#else
// unary: f(x0)
DEFINE_OP(exp)
DEFINE_OP(log)
DEFINE_OP(sqrt)
DEFINE_OP(abs)
DEFINE_OP(sin)
DEFINE_OP(cos)
DEFINE_OP(tanh)
DEFINE_OP(sigmoid)
DEFINE_OP(relu)
DEFINE_OP(sign)
DEFINE_OP(log1p)
DEFINE_OP(expm1)
DEFINE_OP(erf)
DEFINE_OP(gelu)
// unary with the scalar s
DEFINE_OP(div_scalar)
DEFINE_OP(rdiv_scalar)
DEFINE_OP(pow_scalar)
DEFINE_OP(rpow_scalar)
DEFINE_OP(clamp_min)
DEFINE_OP(clamp_max)
DEFINE_OP(leaky_relu)
// binary: f(x0, x1)
DEFINE_OP(div)
DEFINE_OP(pow)
DEFINE_OP(maximum)
DEFINE_OP(minimum)
DEFINE_OP(threshold_backward)
DEFINE_OP(gelu_backward)
// ternary: x0 + (s * x1) op x2, PyTorch's addcmul and addcdiv
DEFINE_OP(addcmul)
DEFINE_OP(addcdiv)
#endif
