// Gather and scatter-add along one dimension (the device interface's gather and scatterAdd).
// Built once per element type with -DT=<type> -DSFX=<suffix> (see elementwise.cl); scatter-add
// only for floating types. Views are passed whole: their shapes and strides padded to 8 dims.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define KNAME_(a, b) a##b
#define KNAME(a, b) KNAME_(a, b)
#define MAX_RANK 8

// Offsets of flat element i of shape in three strided views.
inline void offsets3(long i, int rank, long8 shape, long8 s0, long8 s1, long8 s2, long* o0, long* o1,
                     long* o2) {
    long sh[MAX_RANK], a[MAX_RANK], b[MAX_RANK], c[MAX_RANK];
    vstore8(shape, 0, sh);
    vstore8(s0, 0, a);
    vstore8(s1, 0, b);
    vstore8(s2, 0, c);
    for (int d = rank - 1; d >= 0; d--) {
        long k = i % sh[d];
        i /= sh[d];
        *o0 += k * a[d];
        *o1 += k * b[d];
        *o2 += k * c[d];
    }
}

// out[i] = src[i with coordinate dim replaced by index[i]]: the src strides arrive with 0 along
// dim, and sdim is its real stride there.
__kernel void KNAME(gather_, SFX)(__global T* out, long oo, long8 ost, __global const long* idx, long io,
                                  long8 ist, __global const T* src, long so, long8 sst, long sdim,
                                  long8 shape, int rank, long n) {
    long i = get_global_id(0);
    if (i < n) {
        offsets3(i, rank, shape, ost, ist, sst, &oo, &io, &so);
        out[oo] = src[so + idx[io] * sdim];
    }
}

#ifndef INTEGRAL
// One work-item per line of the index along dim (lineShape has size 1 there): lines write
// disjoint elements of out, and each adds its terms in order, so the result is deterministic.
__kernel void KNAME(scatter_add_, SFX)(__global T* out, long oo, long8 ost, __global const long* idx, long io,
                                       long8 ist, __global const T* src, long so, long8 sst, long odim,
                                       long8 lineShape, int rank, long lines, long count, long istep,
                                       long sstep) {
    long l = get_global_id(0);
    if (l < lines) {
        offsets3(l, rank, lineShape, ost, ist, sst, &oo, &io, &so);
        for (long k = 0; k < count; k++) {
            out[oo + idx[io + k * istep] * odim] += src[so + k * sstep];
        }
    }
}
#endif
