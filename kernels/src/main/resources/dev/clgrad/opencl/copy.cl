// Copies between strided views (converting the element type when they differ) and fills.
// Built once per device; the float64 kernels exist only with -DUSE_FP64.
// Names: copy_<src>_<dst> for contiguous views, copy_strided_<src>_<dst> otherwise;
// fill_<type> and fill_strided_<type>; types f32 f64 i64 u8 b8 (bool stored as uchar 0/1).
// Conversions are PyTorch's casts: to bool is v != 0 (NaN is true), floating to integer
// truncates toward zero, and to uint8 wraps through int64.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define MAX_RANK 8

// Offsets of flat element i in two strided views of one shape.
inline void offsets2(long i, int rank, long8 shape, long8 sa, long8 sb, long* oa, long* ob) {
    long sh[MAX_RANK], st_a[MAX_RANK], st_b[MAX_RANK];
    vstore8(shape, 0, sh);
    vstore8(sa, 0, st_a);
    vstore8(sb, 0, st_b);
    // the outermost coordinate is what is left: no division for it (none at all for rank 1)
    for (int d = rank - 1; d > 0; d--) {
        long c = i % sh[d];
        i /= sh[d];
        *oa += c * st_a[d];
        *ob += c * st_b[d];
    }
    if (rank > 0) {
        *oa += i * st_a[0];
        *ob += i * st_b[0];
    }
}

#define CONV_f32(v) ((float)(v))
#define CONV_f64(v) ((double)(v))
#define CONV_i64(v) ((long)(v))
#define CONV_u8(v) ((uchar)(long)(v))
#define CONV_b8(v) ((uchar)((v) != 0 ? 1 : 0))

#define DEFINE_COPY(sn, ST, dn, DT)                                                              \
__kernel void copy_##sn##_##dn(__global const ST* src, long so, __global DT* dst, long dof,    \
                               long n) {                                                        \
    long i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                \
        dst[dof + i] = CONV_##dn(src[so + i]);                                                  \
    }                                                                                           \
}                                                                                               \
__kernel void copy_strided_##sn##_##dn(__global const ST* src, long so, long8 sst,             \
                                       __global DT* dst, long dof, long8 dst_st,                \
                                       long8 shape, int rank, long n) {                         \
    long i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                \
        offsets2(i, rank, shape, sst, dst_st, &so, &dof);                                       \
        dst[dof] = CONV_##dn(src[so]);                                                           \
    }                                                                                           \
}

#define DEFINE_FILL(tn, T)                                                                       \
__kernel void fill_##tn(__global T* dst, long dof, T value, long n) {                          \
    long i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                \
        dst[dof + i] = value;                                                                   \
    }                                                                                           \
}                                                                                               \
__kernel void fill_strided_##tn(__global T* dst, long dof, long8 st, long8 shape, int rank,    \
                                T value, long n) {                                              \
    long i = get_global_id(0);                                                                  \
    if (i < n) {                                                                                \
        long unused = 0;                                                                        \
        offsets2(i, rank, shape, st, (long8)(0), &dof, &unused);                               \
        dst[dof] = value;                                                                       \
    }                                                                                           \
}

DEFINE_COPY(f32, float, f32, float)
DEFINE_COPY(f32, float, i64, long)
DEFINE_COPY(f32, float, u8, uchar)
DEFINE_COPY(f32, float, b8, uchar)
DEFINE_COPY(i64, long, f32, float)
DEFINE_COPY(i64, long, i64, long)
DEFINE_COPY(i64, long, u8, uchar)
DEFINE_COPY(i64, long, b8, uchar)
DEFINE_COPY(u8, uchar, f32, float)
DEFINE_COPY(u8, uchar, i64, long)
DEFINE_COPY(u8, uchar, u8, uchar)
DEFINE_COPY(u8, uchar, b8, uchar)
DEFINE_COPY(b8, uchar, f32, float)
DEFINE_COPY(b8, uchar, i64, long)
DEFINE_COPY(b8, uchar, u8, uchar)
DEFINE_COPY(b8, uchar, b8, uchar)
DEFINE_FILL(f32, float)
DEFINE_FILL(i64, long)
DEFINE_FILL(u8, uchar)
DEFINE_FILL(b8, uchar)
#ifdef USE_FP64
DEFINE_COPY(f32, float, f64, double)
DEFINE_COPY(i64, long, f64, double)
DEFINE_COPY(u8, uchar, f64, double)
DEFINE_COPY(b8, uchar, f64, double)
DEFINE_COPY(f64, double, f32, float)
DEFINE_COPY(f64, double, i64, long)
DEFINE_COPY(f64, double, u8, uchar)
DEFINE_COPY(f64, double, b8, uchar)
DEFINE_COPY(f64, double, f64, double)
DEFINE_FILL(f64, double)
#endif
