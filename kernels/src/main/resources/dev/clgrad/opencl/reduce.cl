// Reductions (sum, max, min), deterministic: every partition of the work depends only on the
// sizes and the launch configuration the backend fixes per device, never on timing.
// Built once per dtype with -DT=float|double -DSFX=f32|f64 -DACC=<accumulator type>
// (double where the device has fp64, so float32 sums accumulate in double as on the CPU), and
// for int64 with -DT=long -DSFX=i64 -DACC=long -DINTEGRAL (exact).
//
// The input is seen as a matrix: element (o, r) of output row o and reduced index r lives at
// in[off + o * os + r * rs]; a full reduction has one row.
//
// CPU-type devices: each work-item reduces one contiguous run (<op>_chunks, vectorised with
// 8-wide accumulators) or one output row (<op>_rows); a local-memory tree with barriers is
// many times slower there. GPUs: work-groups reduce through a local-memory tree with
// coalesced loads (<op>_tree, <op>_rows_tree).
#include "reduce_ops.cl"

// the loads of reduce.cl's runs: element j of base, eight from j
#define LOAD_ELEMENT(j) ((ACC)base[j])
#define LOAD_ELEMENTS8(j) CONVERT_ACC8(vload8(0, base + (j)))

#define DEFINE_REDUCE(op, INIT, C, V)                                                            \
/* elements lo..hi-1 of the run base[0], base[rs], ...; 8-wide accumulators when rs is 1 */    \
inline ACC KNAME(op##_run_, SFX)(__global const T* base, long lo, long hi, long rs) {            \
    ACC acc = (ACC)(INIT);                                                                      \
    if (rs != 1) {                                                                              \
        for (long i = lo; i < hi; i++) {                                                        \
            acc = C(acc, (ACC)base[i * rs]);                                                    \
        }                                                                                       \
        return acc;                                                                             \
    }                                                                                           \
    REDUCE_DENSE_RUN(acc, INIT, C, V, lo, hi, LOAD_ELEMENT, LOAD_ELEMENTS8);                   \
    return acc;                                                                                 \
}                                                                                               \
__kernel void KNAME(op##_chunks_, SFX)(__global const T* in, long off, long n, long rs,          \
                                      long chunk, __global ACC* part) {                          \
    long p = get_global_id(0);                                                                  \
    long lo = p * chunk;                                                                        \
    part[p] = KNAME(op##_run_, SFX)(in + off, lo, min(n, lo + chunk), rs);                       \
}                                                                                               \
__kernel void KNAME(op##_finish_, SFX)(__global const ACC* part, long np,                        \
                                      __global T* out, long oo) {                               \
    ACC acc = (ACC)(INIT);                                                                      \
    for (long p = 0; p < np; p++) {                                                             \
        acc = C(acc, part[p]);                                                                  \
    }                                                                                           \
    out[oo] = (T)acc;                                                                           \
}                                                                                               \
__kernel void KNAME(op##_rows_, SFX)(__global const T* in, long off, long outer, long os,        \
                                    long inner, long rs, __global T* out, long oo, long ost) {  \
    long o = get_global_id(0);                                                                  \
    if (o < outer) {                                                                            \
        out[oo + o * ost] = (T)KNAME(op##_run_, SFX)(in + off + o * os, 0, inner, rs);          \
    }                                                                                           \
}                                                                                               \
DEFINE_LOCAL_TREE(KNAME(op##_local_tree_, SFX), C)                                            \
/* GPU: work-group g reduces elements g*L+l, g*L+l+G*L, ... through a local tree. */            \
__kernel void KNAME(op##_tree_, SFX)(__global const T* in, long off, long n, long rs,            \
                                    __global ACC* part, __local ACC* scratch) {                 \
    size_t l = get_local_id(0);                                                                 \
    ACC acc = (ACC)(INIT);                                                                      \
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) {                           \
        acc = C(acc, (ACC)in[off + i * rs]);                                                    \
    }                                                                                           \
    acc = KNAME(op##_local_tree_, SFX)(scratch, acc);                                          \
    if (l == 0) {                                                                               \
        part[get_group_id(0)] = acc;                                                             \
    }                                                                                           \
}                                                                                               \
__kernel void KNAME(op##_finish_tree_, SFX)(__global const ACC* part, long np,                   \
                                           __global T* out, long oo, __local ACC* scratch) {    \
    size_t l = get_local_id(0);                                                                 \
    size_t L = get_local_size(0);                                                               \
    ACC acc = (ACC)(INIT);                                                                      \
    for (long p = l; p < np; p += L) {                                                          \
        acc = C(acc, part[p]);                                                                  \
    }                                                                                           \
    acc = KNAME(op##_local_tree_, SFX)(scratch, acc);                                          \
    if (l == 0) {                                                                               \
        out[oo] = (T)acc;                                                                        \
    }                                                                                           \
}                                                                                               \
/* GPU: work-group o reduces output row o with coalesced loads along the row. */               \
__kernel void KNAME(op##_rows_tree_, SFX)(__global const T* in, long off, long outer, long os,   \
                                         long inner, long rs, __global T* out, long oo,         \
                                         long ost, __local ACC* scratch) {                      \
    size_t l = get_local_id(0);                                                                 \
    size_t L = get_local_size(0);                                                               \
    long o = get_group_id(0);                                                                   \
    __global const T* row = in + off + o * os;                                                  \
    ACC acc = (ACC)(INIT);                                                                      \
    for (long r = l; r < inner; r += L) {                                                       \
        acc = C(acc, (ACC)row[r * rs]);                                                         \
    }                                                                                           \
    acc = KNAME(op##_local_tree_, SFX)(scratch, acc);                                          \
    if (l == 0) {                                                                               \
        out[oo + o * ost] = (T)acc;                                                              \
    }                                                                                           \
}

DEFINE_REDUCE(sum, 0, SUM_C, SUM_V)
DEFINE_REDUCE(max, LOWEST, MAX_C, MAX_V)
DEFINE_REDUCE(min, HIGHEST, MIN_C, MIN_V)
