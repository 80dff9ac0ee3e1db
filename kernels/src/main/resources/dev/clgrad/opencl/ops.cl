// The meaning of every elementwise op, one macro each: OP_<op>(x0, x1, x2, s) of up to three
// inputs and the scalar s, in the element type T of the build (-DT=float, -DT=double, or the
// integer builds with -DINTEGRAL). The single-op kernels of elementwise.cl and the fused
// kernels the OpenCL backend generates both call these, so a fused chain computes each step
// exactly as its own kernel would: same expression, rounded to T when it is stored in a T.
// Contraction is off so that no a * b + c becomes an fma in one kernel and not in the other.
#pragma OPENCL FP_CONTRACT OFF
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

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

// defined on every type
#define OP_neg(x0, x1, x2, s) (-x0)
#define OP_add_scalar(x0, x1, x2, s) (x0 + s)
#define OP_mul_scalar(x0, x1, x2, s) (x0 * s)
#define OP_rsub_scalar(x0, x1, x2, s) (s - x0)
#define OP_add(x0, x1, x2, s) (x0 + x1)
#define OP_sub(x0, x1, x2, s) (x0 - x1)
#define OP_mul(x0, x1, x2, s) (x0 * x1)
#define OP_gt_scalar(x0, x1, x2, s) (x0 > s)
#define OP_ge_scalar(x0, x1, x2, s) (x0 >= s)
#define OP_lt_scalar(x0, x1, x2, s) (x0 < s)
#define OP_le_scalar(x0, x1, x2, s) (x0 <= s)
#define OP_eq_scalar(x0, x1, x2, s) (x0 == s)
#define OP_ne_scalar(x0, x1, x2, s) (x0 != s)
#define OP_eq(x0, x1, x2, s) (x0 == x1)
#define OP_ne(x0, x1, x2, s) (x0 != x1)
#define OP_gt(x0, x1, x2, s) (x0 > x1)
#define OP_ge(x0, x1, x2, s) (x0 >= x1)
// ternary: x0 is the (bool) condition
#define OP_where(x0, x1, x2, s) (x0 ? x1 : x2)

#ifdef INTEGRAL
#define OP_abs(x0, x1, x2, s) (x0 < ZERO ? -x0 : x0)
#define OP_relu(x0, x1, x2, s) (x0 > ZERO ? x0 : ZERO)
#define OP_sign(x0, x1, x2, s) (x0 > ZERO ? ONE : (x0 < ZERO ? -ONE : ZERO))
#define OP_clamp_min(x0, x1, x2, s) (x0 > s ? x0 : s)
#define OP_clamp_max(x0, x1, x2, s) (x0 < s ? x0 : s)
#define OP_maximum(x0, x1, x2, s) (x0 > x1 ? x0 : x1)
#define OP_minimum(x0, x1, x2, s) (x0 < x1 ? x0 : x1)
#else
// unary: f(x0)
#define OP_exp(x0, x1, x2, s) (exp(x0))
#define OP_log(x0, x1, x2, s) (log(x0))
#define OP_sqrt(x0, x1, x2, s) (sqrt(x0))
#define OP_abs(x0, x1, x2, s) (fabs(x0))
#define OP_sin(x0, x1, x2, s) (sin(x0))
#define OP_cos(x0, x1, x2, s) (cos(x0))
#define OP_tanh(x0, x1, x2, s) (fabs(x0) >= TANH_SATURATES ? copysign(ONE, x0) : tanh(x0))
#define OP_sigmoid(x0, x1, x2, s) (ONE / (ONE + exp(-x0)))
#define OP_relu(x0, x1, x2, s) (isnan(x0) ? x0 : (x0 > ZERO ? x0 : ZERO))
#define OP_sign(x0, x1, x2, s) (x0 > ZERO ? ONE : (x0 < ZERO ? -ONE : ZERO))
#define OP_log1p(x0, x1, x2, s) (log1p(x0))
#define OP_expm1(x0, x1, x2, s) (expm1(x0))
#define OP_erf(x0, x1, x2, s) (ERF_T(x0))
#define OP_gelu(x0, x1, x2, s) (GELU_T(x0))
// unary with the scalar s
#define OP_div_scalar(x0, x1, x2, s) (x0 / s)
#define OP_rdiv_scalar(x0, x1, x2, s) (s / x0)
#define OP_pow_scalar(x0, x1, x2, s) (pow(x0, s))
#define OP_rpow_scalar(x0, x1, x2, s) (pow(s, x0))
#define OP_clamp_min(x0, x1, x2, s) (isnan(x0) ? x0 : fmax(x0, s))
#define OP_clamp_max(x0, x1, x2, s) (isnan(x0) ? x0 : fmin(x0, s))
#define OP_leaky_relu(x0, x1, x2, s) (x0 > ZERO ? x0 : x0 * s)
// binary: f(x0, x1)
#define OP_div(x0, x1, x2, s) (x0 / x1)
#define OP_pow(x0, x1, x2, s) (pow(x0, x1))
#define OP_maximum(x0, x1, x2, s) (NAN_MAX(x0, x1))
#define OP_minimum(x0, x1, x2, s) (NAN_MIN(x0, x1))
#define OP_threshold_backward(x0, x1, x2, s) (x1 <= ZERO ? ZERO : x0)
#define OP_gelu_backward(x0, x1, x2, s) (GELU_GRAD_T(x0, x1))
// ternary: x0 + (s * x1) op x2, PyTorch's addcmul and addcdiv
#define OP_addcmul(x0, x1, x2, s) (x0 + s * x1 * x2)
#define OP_addcdiv(x0, x1, x2, s) (x0 + s * x1 / x2)
#endif
