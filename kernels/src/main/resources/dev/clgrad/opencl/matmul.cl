// Batched matrix product C[b] = A[b] @ B[b] over strided operands: element (b, m, k) of A is
// A[aoff + b*abs + m*ams + k*aks], and likewise for B (b, k, n) and C (b, m, n); a batch
// stride of 0 broadcasts a matrix. Built once per dtype (-DT, -DSFX, USE_FP64).
//
// matmul_rb: register blocking for CPU-type devices. Each work-item keeps a 4x8 block of C in
// registers and streams its 4 rows of A and an 8-wide row slice of B, which the compiler maps
// onto vector FMAs; local-memory tiles only add barrier cost on such devices.
// matmul_tiled: local-memory tiles for GPUs. A 16x16 work-group computes a 64x64 block of C,
// each work-item a 4x4 sub-block strided by 16, from 64x16 and 16x64 tiles loaded coalesced.
#ifdef USE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define PASTE2_(a, b) a##_##b
#define PASTE2(a, b) PASTE2_(a, b)
#define PASTE_V_(t, n) t##n
#define PASTE_V(t, n) PASTE_V_(t, n)
#define T8 PASTE_V(T, 8)

__kernel void PASTE2(matmul_rb, SFX)(__global const T* A, long aoff, long abs, long ams, long aks,
                                     __global const T* B, long boff, long bbs, long bks, long bns,
                                     __global T* C, long coff, long cbs, long cms, long cns,
                                     long M, long N, long K) {
    long n0 = get_global_id(0) * 8;
    long m0 = get_global_id(1) * 4;
    long b = get_global_id(2);
    if (n0 >= N || m0 >= M) {
        return;
    }
    __global const T* a = A + aoff + b * abs;
    __global const T* bb = B + boff + b * bbs;
    __global T* c = C + coff + b * cbs;
    // rows past M repeat row M-1 and columns past N repeat column N-1: reads stay inside the
    // operands, and the stores below skip them
    long r0 = m0 * ams, r1 = min(m0 + 1, M - 1) * ams, r2 = min(m0 + 2, M - 1) * ams,
         r3 = min(m0 + 3, M - 1) * ams;
    T8 c0 = (T8)(0), c1 = (T8)(0), c2 = (T8)(0), c3 = (T8)(0);
    if (bns == 1 && n0 + 8 <= N) {
        for (long k = 0; k < K; k++) {
            T8 bv = vload8(0, bb + k * bks + n0);
            long ka = k * aks;
            c0 = fma((T8)(a[r0 + ka]), bv, c0);
            c1 = fma((T8)(a[r1 + ka]), bv, c1);
            c2 = fma((T8)(a[r2 + ka]), bv, c2);
            c3 = fma((T8)(a[r3 + ka]), bv, c3);
        }
    } else {
        long nl = N - 1;
        long j0 = n0 * bns, j1 = min(n0 + 1, nl) * bns, j2 = min(n0 + 2, nl) * bns,
             j3 = min(n0 + 3, nl) * bns, j4 = min(n0 + 4, nl) * bns, j5 = min(n0 + 5, nl) * bns,
             j6 = min(n0 + 6, nl) * bns, j7 = min(n0 + 7, nl) * bns;
        for (long k = 0; k < K; k++) {
            __global const T* brow = bb + k * bks;
            T8 bv = (T8)(brow[j0], brow[j1], brow[j2], brow[j3], brow[j4], brow[j5], brow[j6], brow[j7]);
            long ka = k * aks;
            c0 = fma((T8)(a[r0 + ka]), bv, c0);
            c1 = fma((T8)(a[r1 + ka]), bv, c1);
            c2 = fma((T8)(a[r2 + ka]), bv, c2);
            c3 = fma((T8)(a[r3 + ka]), bv, c3);
        }
    }
    T cr[4][8];
    vstore8(c0, 0, cr[0]);
    vstore8(c1, 0, cr[1]);
    vstore8(c2, 0, cr[2]);
    vstore8(c3, 0, cr[3]);
    for (int i = 0; i < 4 && m0 + i < M; i++) {
        __global T* crow = c + (m0 + i) * cms;
        for (int j = 0; j < 8 && n0 + j < N; j++) {
            crow[(n0 + j) * cns] = cr[i][j];
        }
    }
}

#define TS 64
#define TK 16
#define WG 16

__kernel void PASTE2(matmul_tiled, SFX)(__global const T* A, long aoff, long abs, long ams, long aks,
                                        __global const T* B, long boff, long bbs, long bks, long bns,
                                        __global T* C, long coff, long cbs, long cms, long cns,
                                        long M, long N, long K) {
    __local T As[TK][TS];
    __local T Bs[TK][TS];
    int tx = get_local_id(0);
    int ty = get_local_id(1);
    int tid = ty * WG + tx;
    long n0 = get_group_id(0) * TS;
    long m0 = get_group_id(1) * TS;
    long b = get_global_id(2);
    __global const T* a = A + aoff + b * abs;
    __global const T* bb = B + boff + b * bbs;
    __global T* c = C + coff + b * cbs;
    T acc[4][4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0;
        }
    }
    for (long k0 = 0; k0 < K; k0 += TK) {
        for (int q = 0; q < 4; q++) {
            int e = tid + q * WG * WG;
            int ak = e % TK, am = e / TK;       // consecutive work-items walk a row of A
            long gm = m0 + am, gk = k0 + ak;
            As[ak][am] = gm < M && gk < K ? a[gm * ams + gk * aks] : (T)0;
            int bk = e / TS, bn = e % TS;       // and a row of B
            long gn = n0 + bn, gkb = k0 + bk;
            Bs[bk][bn] = gn < N && gkb < K ? bb[gkb * bks + gn * bns] : (T)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TK; k++) {
            T av[4], bv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = As[k][ty + i * WG];
                bv[i] = Bs[k][tx + i * WG];
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = fma(av[i], bv[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < 4; i++) {
        long m = m0 + ty + i * WG;
        for (int j = 0; j < 4; j++) {
            long n = n0 + tx + j * WG;
            if (m < M && n < N) {
                c[m * cms + n * cns] = acc[i][j];
            }
        }
    }
}
